import { DomainError } from '#app/errors';

/**
 * The change is saved in Postgres but the broker's login files could not be rewritten, so the broker may still
 * let a revoked device in. Retrying the same request is safe and syncs again (503).
 */
export class BrokerNotUpdatedError extends DomainError {
  readonly kind = 'unavailable';
  override readonly name = 'BrokerNotUpdatedError';

  constructor(cause: unknown) {
    super('Saved, but the MQTT broker could not be updated; retry the request', { cause });
  }
}
