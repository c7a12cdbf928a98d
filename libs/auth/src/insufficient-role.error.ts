import { DomainError } from '#app/errors';

/** An authenticated caller whose role is not allowed on this route. */
export class InsufficientRoleError extends DomainError {
  readonly kind = 'forbidden';
  constructor(readonly required: readonly string[]) {
    super(`This action requires one of the roles: ${required.join(', ')}`);
    this.name = 'InsufficientRoleError';
  }
}
