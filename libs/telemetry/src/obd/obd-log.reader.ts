import type { TelemetrySample } from '../telemetry-sample.js';
import { FIELD_BY_CAR_OBD_COLUMN } from './car-obd.parser.js';
import { FIELD_BY_CEPHASAX_COLUMN, MAX_UNREADABLE_SHARE } from './cephasax.parser.js';
import { splitDelimitedLines } from './delimited-text.js';
import { parseObdCell, UnreadableCellTally, type ObdNumericField } from './obd-cell.parser.js';
import { CANONICAL_UNIT, type ObdColumnReport } from './obd-column.report.js';
import { ObdLogFormatError } from './obd-log.error.js';
import { detectObdLogFormat } from './obd-log-format.js';
import { buildObdSeries, type ObdReading, type ObdRow } from './obd-series.builder.js';

/** The log formats an upload may be in: the two real-log formats of shared/data/obd and Torque Pro's CSV export. */
export type ObdUploadFormat = 'carobd' | 'cephasax' | 'torque';

export interface ObdLogReading {
  format: ObdUploadFormat;
  /** How the rows were placed in time. */
  clock: string;
  /** The log's own vehicle id (cephasax files hold several cars) that was read; null when the format has none. */
  logVehicle: string | null;
  /** Every vehicle id in the file (cephasax). */
  logVehicles: string[];
  /** Data lines in the file (of the chosen vehicle, for a file of several cars). */
  rowsInFile: number;
  /** Lines dropped because nothing places them in time (no run time / device time, or a line cut short). */
  rowsWithoutClock: number;
  /** Lines the logger wrote twice (same clock and values): read once. */
  repeatedRows: number;
  columns: ObdColumnReport[];
  /** One sample per row read, seq counting up from `firstSeq`, no odometer (these logs have none). */
  samples: TelemetrySample[];
}

export interface ObdLogReadOptions {
  /** Wall-clock time of the log's first row. Required for logs with only an engine run-time clock. */
  startTs?: Date;
  /** Seq of the first row; the rows count up from it (see obdImportSeqBase). */
  firstSeq: number;
  /** Which of the log's vehicles to read, for a file of several cars. */
  logVehicle?: string;
}

type ClockKind = 'seconds' | 'hhmmss' | 'wall';

interface FormatProfile {
  format: ObdUploadFormat;
  delimiter: ',' | ';';
  decimalComma: boolean;
  /** Column key (from `key`) -> reading. */
  fields: Readonly<Record<string, ObdNumericField>>;
  /** Why a known column is not read. */
  ignored: Readonly<Record<string, string>>;
  clockColumns: readonly string[];
  clockKind: ClockKind;
  vehicleColumn?: string;
  /** Lookup key of a header cell, and the unit its header carries (Torque writes `Engine RPM(rpm)`). */
  key(header: string): { key: string; unit: string | null };
  /** Rows shorter than the header are dropped (carOBD: a file truncated mid-write). */
  dropShortRows: boolean;
  /** Columns left out of a row's identity when telling the logger's repeated rows apart (a row number, mangled times). */
  rowKeyIgnores: readonly string[];
}

const upper = (header: string) => ({ key: header.trim().toUpperCase(), unit: null });

const CAR_OBD: FormatProfile = {
  format: 'carobd',
  delimiter: ',',
  decimalComma: false,
  fields: FIELD_BY_CAR_OBD_COLUMN,
  ignored: {},
  clockColumns: ['ENGINE_RUN_TINE', 'ENGINE_RUN_TIME'],
  clockKind: 'seconds',
  rowKeyIgnores: [],
  key: (header) => ({
    key: header
      .replace(/\s*\(\s*\)\s*$/, '')
      .trim()
      .toUpperCase(),
    unit: null,
  }),
  dropShortRows: true,
};

const CEPHASAX: FormatProfile = {
  format: 'cephasax',
  delimiter: ';',
  decimalComma: true,
  fields: FIELD_BY_CEPHASAX_COLUMN,
  ignored: {
    ORD: 'a row number',
    TIME: 'mangled by a spreadsheet export (ENGINE_RUNTIME is the clock)',
    LATITUDE: 'mangled by a spreadsheet export',
    LONGITUDE: 'mangled by a spreadsheet export',
    AMBIENT_AIR_TEMP: 'reads 3-15 °C in a tropical city while intake air reads ~31 °C: not the ambient temperature',
  },
  clockColumns: ['ENGINE_RUNTIME'],
  clockKind: 'hhmmss',
  vehicleColumn: 'VEHICLE_ID',
  rowKeyIgnores: ['ORD', 'TIME', 'LATITUDE', 'LONGITUDE'],
  key: upper,
  dropShortRows: false,
};

/** Torque Pro column (its name without the unit in brackets, lower case) -> reading. */
const FIELD_BY_TORQUE_COLUMN: Readonly<Record<string, ObdNumericField>> = {
  'speed (obd)': 'speedKph',
  'engine rpm': 'rpm',
  'engine coolant temperature': 'coolantTempC',
  'engine load': 'engineLoadPct',
  'intake air temperature': 'intakeTempC',
  'ambient air temp': 'ambientTempC',
  'mass air flow rate': 'mafGps',
  'throttle position(manifold)': 'throttlePct',
  'intake manifold pressure': 'manifoldPressureKpa',
  'voltage (control module)': 'batteryV',
  'voltage (obd adapter)': 'batteryV',
};

const TORQUE: FormatProfile = {
  format: 'torque',
  delimiter: ',',
  decimalComma: false,
  fields: FIELD_BY_TORQUE_COLUMN,
  ignored: {
    'gps time': 'the GPS clock is in a local format with its own zone name; Device Time is the clock',
    'gps speed': 'a GPS speed: the OBD speed is read',
  },
  clockColumns: ['device time'],
  clockKind: 'wall',
  rowKeyIgnores: [],
  key: (header) => {
    // `Speed (OBD)(km/h)`: the last bracket holds the unit.
    const match = /^(.*\S)\s*\(([^()]*)\)\s*$/.exec(header.trim());
    if (match === null) return { key: header.trim().toLowerCase(), unit: null };
    return { key: (match[1] ?? '').toLowerCase(), unit: (match[2] ?? '').trim() };
  },
  dropShortRows: false,
};

/**
 * Reads an uploaded OBD-II log into samples and a report of every column: what it was read as (or why it
 * was ignored), how many cells held a value, were empty or could not be read. A reading column whose cells
 * cannot be read (more than 1 % of its filled cells: a unit we do not know, text) fails the whole file with
 * its name and count (ObdLogFormatError), so a column in a format we do not read is never imported as
 * "not reported". Pure: no clock, no storage; the caller sends the samples through the device contract.
 */
export function readObdLog(file: Buffer, options: ObdLogReadOptions): ObdLogReading {
  const text = decode(file);
  const profile = profileFor(text);
  const [header, ...lines] = splitDelimitedLines(text, profile.delimiter).map((cells) =>
    profile.format === 'carobd' && cells.at(-1) === '' ? cells.slice(0, -1) : cells,
  );
  if (header === undefined) throw new ObdLogFormatError('the file is empty');
  const keys = header.map((name) => profile.key(name));
  const headerKey = keys.map((k) => k.key).join('\u0000');
  const keyPositions = keys.flatMap((k, index) => (profile.rowKeyIgnores.includes(k.key) ? [] : [index]));
  const columns = planColumns(profile, header, keys);
  const clock = columns.find((c) => c.report.readAs === 'clock');
  if (clock === undefined) throw new ObdLogFormatError(`${profile.format} log without a clock column (${profile.clockColumns.join(' or ')})`);
  const vehicleIndex = columns.find((c) => c.report.readAs === 'vehicle')?.index;

  const logVehicles = vehicleIndex === undefined ? [] : [...new Set(lines.map((cells) => cells[vehicleIndex] ?? '').filter((id) => id !== ''))];
  const logVehicle = chooseLogVehicle(logVehicles, options.logVehicle, vehicleIndex !== undefined);
  const tally = new UnreadableCellTally();
  const rows: ObdRow[] = [];
  const wallMs: number[] = [];
  let rowsInFile = 0;
  let rowsWithoutClock = 0;
  let repeatedRows = 0;
  const seen = new Set<string>();
  for (const cells of lines) {
    // Torque writes its header again when logging restarts in the same file.
    if (cells.map((cell) => profile.key(cell).key).join('\u0000') === headerKey) continue;
    if (logVehicle !== null && vehicleIndex !== undefined && cells[vehicleIndex] !== logVehicle) continue;
    rowsInFile++;
    const clockCell = cells[clock.index] ?? '';
    const time = readClock(profile.clockKind, clockCell);
    if (time === undefined || (profile.dropShortRows && cells.length < header.length)) {
      rowsWithoutClock++;
      if (clockCell === '') clock.report.empty++;
      else {
        clock.report.unreadable++;
        clock.report.example ??= clockCell;
      }
      continue;
    }
    // The logger's repeated rows are read once, and counted once in the column report.
    const key = keyPositions.map((index) => cells[index] ?? '').join(profile.delimiter);
    if (seen.has(key)) {
      repeatedRows++;
      continue;
    }
    seen.add(key);
    clock.report.values++;
    const reading: ObdReading = {};
    for (const { index, report, field, unit } of columns) {
      if (field === undefined) continue;
      const raw = cells[index];
      const cell = raw === '-' ? '' : raw;
      const value = parseObdCell(unit === null || cell === undefined || !/\d$/.test(cell) ? cell : `${cell}${unit}`, field, profile.decimalComma);
      tally.record(report.column, cell, value);
      if (value.kind === 'empty') report.empty++;
      else if (value.kind === 'unreadable') {
        report.unreadable++;
        report.example ??= cell ?? '';
      } else {
        report.values++;
        reading[field] = value.value;
      }
    }
    rows.push({ runTimeS: time, reading, key });
    if (profile.clockKind === 'wall') wallMs.push(time * 1000);
  }

  const failures = tally.failures(MAX_UNREADABLE_SHARE);
  if (failures.length > 0)
    throw new ObdLogFormatError(
      `unreadable columns: ${failures.join('; ')}`,
      columns.map((c) => c.report),
    );
  if (rows.length === 0)
    throw new ObdLogFormatError(
      `no row of the log has a clock (${clock.report.column})`,
      columns.map((c) => c.report),
    );

  const firstWallMs = wallMs.length > 0 ? wallMs.reduce((a, b) => Math.min(a, b)) : undefined;
  const startTs = options.startTs ?? (firstWallMs === undefined ? undefined : new Date(firstWallMs));
  if (startTs === undefined) {
    throw new ObdLogFormatError(`a ${profile.format} log has only the engine's run time as its clock: give startedAt, when the log began`);
  }
  const relative = firstWallMs === undefined ? rows : rows.map((row) => ({ ...row, runTimeS: row.runTimeS - firstWallMs / 1000 }));
  const samples = buildObdSeries(relative, { startTs, firstSeq: options.firstSeq }).map(({ odometerKm: _synthetic, ...sample }) => sample);
  return {
    format: profile.format,
    clock: clockNote(profile, clock.report.column, options.startTs !== undefined),
    logVehicle,
    logVehicles,
    rowsInFile,
    rowsWithoutClock,
    repeatedRows,
    columns: columns.map((c) => c.report),
    samples,
  };
}

/** UTF-8 when the bytes are UTF-8 (Torque writes `°C`), else latin-1 (the cephasax export). */
function decode(file: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(file);
  } catch {
    return file.toString('latin1');
  }
}

function profileFor(text: string): FormatProfile {
  const headerLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const known = detectObdLogFormat(headerLine);
  if (known === 'carobd') return CAR_OBD;
  if (known === 'cephasax') return CEPHASAX;
  if (headerLine.split(',').some((cell) => cell.trim().toLowerCase() === 'device time')) return TORQUE;
  throw new ObdLogFormatError(
    'not an OBD-II log we read: expected a Torque Pro CSV (a "Device Time" column), a carOBD log (ENGINE_RUN_TINE ()) or a cephasax log (VEHICLE_ID;...;ENGINE_RUNTIME)',
  );
}

interface PlannedColumn {
  index: number;
  report: ObdColumnReport;
  field?: ObdNumericField;
  /** The unit the header gives, appended to bare numbers so the cell parser converts them. */
  unit: string | null;
}

function planColumns(profile: FormatProfile, header: readonly string[], keys: readonly { key: string; unit: string | null }[]): PlannedColumn[] {
  const readFrom = new Map<string, string>();
  let clockTaken = false;
  return header.map((column, index) => {
    const { key, unit } = keys[index] ?? { key: '', unit: null };
    const report: ObdColumnReport = { column, readAs: null, unit: null, note: null, values: 0, empty: 0, unreadable: 0, example: null };
    const planned: PlannedColumn = { index, report, unit: null };
    const field = profile.fields[key];
    if (!clockTaken && profile.clockColumns.includes(key)) {
      clockTaken = true;
      report.readAs = 'clock';
    } else if (key === profile.vehicleColumn) {
      report.readAs = 'vehicle';
    } else if (field !== undefined) {
      const earlier = readFrom.get(field);
      if (earlier !== undefined) {
        report.note = `${field} is already read from ${earlier}`;
      } else {
        readFrom.set(field, column);
        report.readAs = field;
        report.unit = CANONICAL_UNIT[field];
        if (unit !== null && unit !== '') report.note = `header unit ${unit}`;
        planned.field = field;
        planned.unit = unit === '' ? null : unit;
      }
    } else {
      report.note = profile.ignored[key] ?? 'not a reading the platform stores';
    }
    return planned;
  });
}

function chooseLogVehicle(ids: readonly string[], wanted: string | undefined, hasColumn: boolean): string | null {
  if (!hasColumn) return null;
  if (wanted !== undefined) {
    if (!ids.includes(wanted)) throw new ObdLogFormatError(`logVehicle "${wanted}" is not in the file (it has ${ids.join(', ')})`);
    return wanted;
  }
  const [only, ...others] = ids;
  if (only === undefined) throw new ObdLogFormatError('no row of the log names its vehicle (VEHICLE_ID)');
  if (others.length > 0)
    throw new ObdLogFormatError(`the file holds ${String(ids.length)} cars (${ids.join(', ')}): give logVehicle, the one to import`);
  return only;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Seconds on the row's clock: run time in seconds, run time hh:mm:ss, or a device time (seconds since the epoch, read as UTC). */
function readClock(kind: ClockKind, cell: string | undefined): number | undefined {
  const text = cell?.trim() ?? '';
  if (kind === 'seconds') {
    const value = text === '' ? Number.NaN : Number(text);
    return Number.isFinite(value) ? value : undefined;
  }
  if (kind === 'hhmmss') {
    const match = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(text);
    return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
  }
  // Torque: `02-Aug-2026 11:34:40.210` (its device's local time, with no zone written).
  const match = /^(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text);
  if (!match) return undefined;
  const month = MONTHS.indexOf((match[2] ?? '').toLowerCase());
  if (month < 0) return undefined;
  const ms = Date.UTC(
    Number(match[3]),
    month,
    Number(match[1]),
    Number(match[4]),
    Number(match[5]),
    Number(match[6]),
    Number((match[7] ?? '0').padEnd(3, '0')),
  );
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

function clockNote(profile: FormatProfile, column: string, startGiven: boolean): string {
  if (profile.clockKind === 'wall') {
    return startGiven
      ? `${column}: the spacing of its times, the first row placed at startedAt`
      : `${column}, read as UTC (Torque writes the phone's local time without its zone; give startedAt to place it)`;
  }
  return `${column} (engine run time${profile.clockKind === 'hhmmss' ? ', hh:mm:ss' : ', seconds'}) from startedAt`;
}
