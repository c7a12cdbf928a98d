import type { TelemetrySample } from '../telemetry-sample.js';
import { columnIndex, splitDelimitedLines } from './delimited-text.js';
import { parseObdCell, UnreadableCellTally, type ObdNumericField } from './obd-cell.parser.js';
import { ObdLogFormatError } from './obd-log.error.js';
import { buildObdSeries, type ObdReading, type ObdRow, type ObdSeriesOptions } from './obd-series.builder.js';

export type CephasaxParseOptions = ObdSeriesOptions;

/**
 * cephasax column -> sample field. AMBIENT_AIR_TEMP is left out on purpose: it reads 3-15 C in a
 * tropical city while intake air reads ~31 C, so it is not the ambient temperature.
 */
export const FIELD_BY_CEPHASAX_COLUMN = {
  SPEED: 'speedKph',
  ENGINE_RPM: 'rpm',
  ENGINE_COOLANT_TEMP: 'coolantTempC',
  ENGINE_LOAD: 'engineLoadPct',
  AIR_INTAKE_TEMP: 'intakeTempC',
  INTAKE_MANIFOLD_PRESSURE: 'manifoldPressureKpa',
  THROTTLE_POS: 'throttlePct',
  MAF: 'mafGps',
} as const satisfies Record<string, ObdNumericField>;

/**
 * Share of a mapped column's filled cells that may be unreadable before the import fails: a stray
 * garbled cell in a long log is tolerated, a column in a format we do not read is not.
 */
export const MAX_UNREADABLE_SHARE = 0.01;

// A spreadsheet export mangled these (and `ord` is a row number), so they take no part in telling
// repeated rows apart and are never read.
const IGNORED_COLUMNS = new Set(['ORD', 'TIME', 'LATITUDE', 'LONGITUDE']);

/**
 * Parses cephasax/OBDdatasets `4drivers.csv`: semicolon-separated, latin-1, decimal comma, one file for
 * several cars told apart by VEHICLE_ID. Returns one series per vehicle id, each on its own clock
 * (ENGINE_RUNTIME hh:mm:ss from `startTs`) and with its own seq and synthetic odometer. Rows without a
 * run time are dropped: nothing places them in time.
 */
export function parseCephasaxCsv(text: string | Buffer, options: CephasaxParseOptions): Map<string, TelemetrySample[]> {
  const decoded = typeof text === 'string' ? text : text.toString('latin1');
  const [header, ...lines] = splitDelimitedLines(decoded, ';');
  if (!header) return new Map();
  const columns = columnIndex(header, (name) => name.trim().toUpperCase());
  const vehicleColumn = columns.get('VEHICLE_ID');
  const runTimeColumn = columns.get('ENGINE_RUNTIME');
  if (vehicleColumn === undefined || runTimeColumn === undefined) {
    throw new ObdLogFormatError('cephasax log without VEHICLE_ID and ENGINE_RUNTIME columns');
  }
  const keptPositions = header.flatMap((name, index) => (IGNORED_COLUMNS.has(name.trim().toUpperCase()) ? [] : [index]));
  const fieldColumns = Object.entries(FIELD_BY_CEPHASAX_COLUMN).flatMap(([column, field]) => {
    const index = columns.get(column);
    return index === undefined ? [] : [{ column, field, index }];
  });
  const tally = new UnreadableCellTally();

  const rowsByVehicle = new Map<string, ObdRow[]>();
  for (const cells of lines) {
    const vehicleId = cells[vehicleColumn];
    const runTimeS = parseClock(cells[runTimeColumn]);
    if (!vehicleId || runTimeS === undefined) continue;
    const reading: ObdReading = {};
    for (const { column, field, index } of fieldColumns) {
      const cell = cells[index];
      const value = parseObdCell(cell, field, true);
      tally.record(column, cell, value);
      if (value.kind === 'value') reading[field] = value.value;
    }
    const key = keptPositions.map((index) => cells[index] ?? '').join(';');
    const rows = rowsByVehicle.get(vehicleId) ?? [];
    rows.push({ runTimeS, reading, key });
    rowsByVehicle.set(vehicleId, rows);
  }

  const failures = tally.failures(MAX_UNREADABLE_SHARE);
  if (failures.length > 0) throw new ObdLogFormatError(`cephasax log has unreadable columns: ${failures.join('; ')}`);
  const series = new Map<string, TelemetrySample[]>();
  for (const [vehicleId, rows] of rowsByVehicle) series.set(vehicleId, buildObdSeries(rows, options));
  return series;
}

/** Seconds from `hh:mm:ss`. */
function parseClock(cell: string | undefined): number | undefined {
  const match = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(cell ?? '');
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}
