import { text } from '../common/text.schema.js';

/** ISO 3779: 17 characters, digits and capital letters except I, O and Q (mistaken for 1 and 0). */
export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

export const vinSchema = text().trim().toUpperCase().regex(VIN_PATTERN, 'VIN must be 17 letters and digits, without I, O or Q');
