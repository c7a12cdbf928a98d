import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { obdDataDir } from './obd-data-dir.js';

export const OBD_DATA_DIR = obdDataDir();

export const readCarObdLog = (name: string): string => readFileSync(join(OBD_DATA_DIR, 'carOBD', `${name}.csv`), 'utf8');

export const readCephasaxLog = (): Buffer => readFileSync(join(OBD_DATA_DIR, 'cephasax', '4drivers.csv'));

export const START_TS = new Date('2026-11-20T07:30:00.000Z');

const CAR_OBD_HEADER =
  'ENGINE_RUN_TINE (),ENGINE_RPM (),VEHICLE_SPEED (),THROTTLE (),ENGINE_LOAD (),COOLANT_TEMPERATURE (),INTAKE_MANIFOLD_PRESSURE (),INTAKE_AIR_TEMP (),CONTROL_MODULE_VOLTAGE ()';

/** A small carOBD-style log: rows are [runTime, rpm, speed, throttle, load, coolant, map, iat, volts]. */
export function carObdText(rows: readonly (readonly number[])[]): string {
  const body = rows.map((row) => `${row.map((value) => value.toFixed(6)).join(', ')},`);
  return [CAR_OBD_HEADER, ...body].join('\n');
}
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[middle]!;
}
