export class DuplicateVinError extends Error {
  constructor(readonly vin: string) {
    super(`A vehicle with VIN ${vin} is already registered`);
    this.name = 'DuplicateVinError';
  }
}
