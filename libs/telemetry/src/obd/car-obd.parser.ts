import type { TelemetrySample } from '../telemetry-sample.js';
import { columnIndex, parseNumberCell, splitDelimitedLines } from './delimited-text.js';
import { parseObdCell, UnreadableCellTally, type ObdNumericField } from './obd-cell.parser.js';
import { MAX_UNREADABLE_SHARE } from './cephasax.parser.js';
import { ObdLogFormatError } from './obd-log.error.js';
import { buildObdSeries, type ObdReading, type ObdRow, type ObdSeriesOptions } from './obd-series.builder.js';

export type CarObdParseOptions = ObdSeriesOptions;

/** carOBD column (without its ` ()` suffix) -> sample field. */
export const FIELD_BY_CAR_OBD_COLUMN = {
  VEHICLE_SPEED: 'speedKph',
  ENGINE_RPM: 'rpm',
  COOLANT_TEMPERATURE: 'coolantTempC',
  ENGINE_LOAD: 'engineLoadPct',
  INTAKE_AIR_TEMP: 'intakeTempC',
  INTAKE_MANIFOLD_PRESSURE: 'manifoldPressureKpa',
  THROTTLE: 'throttlePct',
  CONTROL_MODULE_VOLTAGE: 'batteryV',
  MAF: 'mafGps',
  MASS_AIR_FLOW: 'mafGps',
} as const satisfies Record<string, ObdNumericField>;

// The upstream logger misspelled its run-time column; accept the correct spelling as well.
const RUN_TIME_COLUMNS = ['ENGINE_RUN_TINE', 'ENGINE_RUN_TIME'];

const normaliseColumn = (name: string): string =>
  name
    .replace(/\s*\(\s*\)\s*$/, '')
    .trim()
    .toUpperCase();

/**
 * Parses a carOBD log (github.com/eron93br/carOBD): comma-separated with a trailing comma on every row,
 * ` ()` column suffixes, and rows repeated by the logger. Rows cut short (a file truncated mid-write)
 * are dropped: their missing cells cannot be told apart from absent readings.
 */
export function parseCarObdCsv(text: string, options: CarObdParseOptions): TelemetrySample[] {
  const [header, ...lines] = splitDelimitedLines(text, ',').map(dropTrailingEmptyCell);
  if (!header) return [];
  const columns = columnIndex(header, normaliseColumn);
  const runTimeColumn = RUN_TIME_COLUMNS.map((name) => columns.get(name)).find((index) => index !== undefined);
  if (runTimeColumn === undefined) throw new ObdLogFormatError('carOBD log without an ENGINE_RUN_TINE column');
  const fieldColumns = Object.entries(FIELD_BY_CAR_OBD_COLUMN).flatMap(([column, field]) => {
    const index = columns.get(column);
    return index === undefined ? [] : [{ column, field, index }];
  });
  const tally = new UnreadableCellTally();

  const rows: ObdRow[] = [];
  for (const cells of lines) {
    if (cells.length < header.length) continue;
    const runTimeS = parseNumberCell(cells[runTimeColumn]);
    if (runTimeS === undefined) continue;
    const reading: ObdReading = {};
    for (const { column, field, index } of fieldColumns) {
      const cell = cells[index];
      const value = parseObdCell(cell, field, false);
      tally.record(column, cell, value);
      if (value.kind === 'value') reading[field] = value.value;
    }
    rows.push({ runTimeS, reading, key: cells.join(',') });
  }
  const failures = tally.failures(MAX_UNREADABLE_SHARE);
  if (failures.length > 0) throw new ObdLogFormatError(`carOBD log has unreadable columns: ${failures.join('; ')}`);
  return buildObdSeries(rows, options);
}

function dropTrailingEmptyCell(cells: string[]): string[] {
  return cells.length > 0 && cells[cells.length - 1] === '' ? cells.slice(0, -1) : cells;
}
