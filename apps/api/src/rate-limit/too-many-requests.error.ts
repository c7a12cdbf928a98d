import { DomainError } from '#app/errors';

/** A caller over a limit (requests per minute, failed logins); mapped to 429 with this Retry-After. */
export class TooManyRequestsError extends DomainError {
  readonly kind = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'TooManyRequestsError';
  }

  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}
