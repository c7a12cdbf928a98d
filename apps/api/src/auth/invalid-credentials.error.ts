import { DomainError } from '#app/errors';

/** Unknown e-mail or wrong password: one error for both, so a login does not reveal which accounts exist. */
export class InvalidCredentialsError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor() {
    super('Invalid e-mail or password');
    this.name = 'InvalidCredentialsError';
  }
}
