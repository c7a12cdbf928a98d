import { DomainError } from '#app/errors';

/** No such push subscription of the caller (404, also for another user's). */
export class PushSubscriptionNotFoundError extends DomainError {
  readonly kind = 'not_found';
  override readonly name = 'PushSubscriptionNotFoundError';

  constructor(readonly subscriptionId: string) {
    super(`Push subscription ${subscriptionId} not found`);
  }
}
