import { DomainError } from '#app/errors';

export class DuplicateVinError extends DomainError {
  readonly kind = 'conflict';
  constructor(readonly vin: string) {
    super(`A vehicle with VIN ${vin} is already registered`);
    this.name = 'DuplicateVinError';
  }
}
