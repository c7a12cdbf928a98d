import { DomainError } from '#app/errors';

/** No such vehicle, or one outside the caller's scope: both answer 404 so existence is not revealed. */
export class VehicleNotFoundError extends DomainError {
  readonly kind = 'not_found';
  constructor(readonly vin: string) {
    super(`Vehicle ${vin} not found`);
    this.name = 'VehicleNotFoundError';
  }
}
