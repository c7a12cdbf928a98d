import { InvalidArgumentError } from './invalid-argument.error.js';

const VIN_LENGTH = 17;

/** VIN of fleet vehicle `index` (from 1): the prefix, then the index zero-padded to 17 characters. */
export function fleetVin(prefix: string, index: number): string {
  const digits = String(index);
  if (!Number.isInteger(index) || index < 1 || prefix.length + digits.length > VIN_LENGTH) {
    throw new InvalidArgumentError(`cannot build a 17-character VIN from prefix "${prefix}" and index ${index}`);
  }
  return prefix + digits.padStart(VIN_LENGTH - prefix.length, '0');
}
