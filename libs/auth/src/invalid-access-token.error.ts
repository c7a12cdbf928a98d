import { DomainError } from '#app/errors';

/** No, expired, malformed or wrongly signed bearer token. */
export class InvalidAccessTokenError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(reason: string) {
    super(`Invalid access token: ${reason}`);
    this.name = 'InvalidAccessTokenError';
  }
}
