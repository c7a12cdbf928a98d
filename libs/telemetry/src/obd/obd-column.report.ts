import type { ObdNumericField } from './obd-cell.parser.js';

/** What a column of the file was read as: a reading, the clock, the log's own vehicle id, or nothing. */
export type ObdColumnRole = ObdNumericField | 'clock' | 'vehicle';

/** The canonical unit each reading is stored in (the device contract's). */
export const CANONICAL_UNIT: Readonly<Record<ObdNumericField, string>> = {
  speedKph: 'km/h',
  rpm: '1/min',
  coolantTempC: '°C',
  intakeTempC: '°C',
  ambientTempC: '°C',
  engineLoadPct: '%',
  throttlePct: '%',
  manifoldPressureKpa: 'kPa',
  mafGps: 'g/s',
  batteryV: 'V',
};

export interface ObdColumnReport {
  /** The header as written in the file. */
  column: string;
  /** null: ignored (see note). */
  readAs: ObdColumnRole | null;
  /** The unit the values are stored in (readings only). */
  unit: string | null;
  /** Why an ignored column is ignored, how the clock is read, or the unit written in the header. */
  note: string | null;
  /** Cells read as a value (of the rows with a clock). */
  values: number;
  /** Cells with nothing in them ("not reported"). */
  empty: number;
  /** Cells with something that is not a number in a unit of the field. */
  unreadable: number;
  /** The first unreadable cell, as written. */
  example: string | null;
}
