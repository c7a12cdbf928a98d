import { DomainError } from '#app/errors';

/** The owner e-mail given for a new vehicle belongs to a staff or admin account. */
export class OwnerEmailConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly email: string) {
    super(`${email} belongs to an account that is not a vehicle owner`);
    this.name = 'OwnerEmailConflictError';
  }
}
