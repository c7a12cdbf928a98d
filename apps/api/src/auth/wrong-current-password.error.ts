import { DomainError } from '#app/errors';

/** A password change whose current password does not match: the caller is signed in, so 403, not 401. */
export class WrongCurrentPasswordError extends DomainError {
  readonly kind = 'forbidden';
  override readonly name = 'WrongCurrentPasswordError';

  constructor() {
    super('The current password is not right');
  }
}
