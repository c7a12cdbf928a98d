import { DomainError } from '#app/errors';

/** A call outcome for a car the worker has not scored yet: it cannot have been on the call list (409). */
export class VehicleNotScoredError extends DomainError {
  readonly kind = 'conflict';
  override readonly name = 'VehicleNotScoredError';

  constructor(readonly vin: string) {
    super(`Vehicle ${vin} has no prediction yet, so it is not on the call list`);
  }
}
