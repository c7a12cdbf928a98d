import { describeValue } from './detail-text.js';
import { SampleRejectedError } from './sample-rejected.error.js';

// SAE J2012: system letter (Powertrain, Chassis, Body, network/U), a digit 0-3 (generic or maker
// specific) and three hex digits.
const DTC_PATTERN = /^[PCBU][0-3][0-9A-F]{3}$/;

/** Trouble codes upper-cased, trimmed and de-duplicated in their first order. An empty list is kept: it says "no codes". */
export function parseDtcList(key: string, value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw new SampleRejectedError('INVALID_VALUE', `${key} must be an array of OBD-II trouble codes like "P0128", got ${describeValue(value)}`);
  }
  // A Set keeps this linear: a hostile payload can hold tens of thousands of codes.
  const codes = new Set<string>();
  for (let index = 0; index < value.length; index += 1) {
    const entry: unknown = value[index];
    const code = typeof entry === 'string' ? entry.trim().toUpperCase() : undefined;
    if (code === undefined || !DTC_PATTERN.test(code)) {
      throw new SampleRejectedError(
        'INVALID_VALUE',
        `${key}[${index}] ${describeValue(entry)} is not an OBD-II trouble code (P, C, B or U, a digit 0-3 and three hex digits, e.g. P0128)`,
      );
    }
    codes.add(code);
  }
  return [...codes];
}
