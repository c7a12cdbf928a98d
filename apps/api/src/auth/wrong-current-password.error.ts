/** A password change whose current password does not match: the caller is signed in, so 403, not 401. */
export class WrongCurrentPasswordError extends Error {
  override readonly name = 'WrongCurrentPasswordError';

  constructor() {
    super('The current password is not right');
  }
}
