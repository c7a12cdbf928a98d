import { DomainError } from '#app/errors';

/** A staff or admin account not attached to a service center: it has no tenant to act in. */
export class MissingServiceCenterError extends DomainError {
  readonly kind = 'forbidden';
  constructor(readonly userId: string) {
    super('This account is not attached to a service center');
    this.name = 'MissingServiceCenterError';
  }
}
