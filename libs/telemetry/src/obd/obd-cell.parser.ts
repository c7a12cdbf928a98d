import type { ObdReading } from './obd-series.builder.js';

/** The numeric readings a log column can map to. */
export type ObdNumericField = Exclude<keyof ObdReading, 'dtcs' | 'tires'>;

/** A unit suffix a logger may write after the number, and how it converts to the field's canonical unit. */
interface UnitSuffix {
  suffix: string;
  toCanonical: (value: number) => number;
}

const same = (value: number): number => value;
const fahrenheitToCelsius = (value: number): number => ((value - 32) * 5) / 9;

const TEMPERATURE: UnitSuffix[] = [
  { suffix: 'c', toCanonical: same },
  { suffix: '°c', toCanonical: same },
  { suffix: 'degc', toCanonical: same },
  { suffix: 'f', toCanonical: fahrenheitToCelsius },
  { suffix: '°f', toCanonical: fahrenheitToCelsius },
];
const PERCENT: UnitSuffix[] = [{ suffix: '%', toCanonical: same }];

/**
 * Units accepted per field. Some OBD apps (the cephasax 19-driver log among them) write the unit into
 * every cell (`82C`, `2124RPM`, `24,77g/s`); only units that belong to the field are read, so a cell in
 * the wrong unit is counted as unreadable instead of being stored as a wrong number.
 */
const UNITS_BY_FIELD: Record<ObdNumericField, UnitSuffix[]> = {
  speedKph: [
    { suffix: 'km/h', toCanonical: same },
    { suffix: 'kph', toCanonical: same },
    { suffix: 'mph', toCanonical: (v) => v * 1.609344 },
  ],
  rpm: [
    { suffix: 'rpm', toCanonical: same },
    { suffix: '1/min', toCanonical: same },
  ],
  coolantTempC: TEMPERATURE,
  intakeTempC: TEMPERATURE,
  ambientTempC: TEMPERATURE,
  engineLoadPct: PERCENT,
  throttlePct: PERCENT,
  manifoldPressureKpa: [
    { suffix: 'kpa', toCanonical: same },
    { suffix: 'psi', toCanonical: (v) => v * 6.894757 },
  ],
  mafGps: [{ suffix: 'g/s', toCanonical: same }],
  batteryV: [{ suffix: 'v', toCanonical: same }],
};

const NUMBER_WITH_SUFFIX = /^([+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:e[+-]?\d+)?)\s*(.*)$/i;

export type CellValue = { kind: 'empty' } | { kind: 'value'; value: number } | { kind: 'unreadable' };

/**
 * Reads one cell for `field`: a number with an optional unit suffix of that field, a decimal comma
 * allowed when `decimalComma`. Empty cells are "not reported", anything else that is not a number in an
 * accepted unit is unreadable (the caller counts those per column and fails loudly).
 */
export function parseObdCell(cell: string | undefined, field: ObdNumericField, decimalComma: boolean): CellValue {
  const text = cell?.trim() ?? '';
  if (text === '') return { kind: 'empty' };
  const match = NUMBER_WITH_SUFFIX.exec(text);
  if (match === null) return { kind: 'unreadable' };
  const [, numberText = '', suffixText = ''] = match;
  if (!decimalComma && numberText.includes(',')) return { kind: 'unreadable' };
  const value = Number(numberText.replace(',', '.'));
  if (!Number.isFinite(value)) return { kind: 'unreadable' };
  const suffix = suffixText.trim().toLowerCase();
  if (suffix === '') return { kind: 'value', value };
  const unit = UNITS_BY_FIELD[field].find((u) => u.suffix === suffix);
  return unit === undefined ? { kind: 'unreadable' } : { kind: 'value', value: unit.toCanonical(value) };
}

/** Per-column tally of cells that held something but could not be read. */
export class UnreadableCellTally {
  private readonly byColumn = new Map<string, { unreadable: number; filled: number; example: string }>();

  record(column: string, cell: string | undefined, result: CellValue): void {
    if (result.kind === 'empty') return;
    const entry = this.byColumn.get(column) ?? { unreadable: 0, filled: 0, example: '' };
    entry.filled++;
    if (result.kind === 'unreadable') {
      entry.unreadable++;
      if (entry.example === '') entry.example = cell ?? '';
    }
    this.byColumn.set(column, entry);
  }

  /**
   * Columns where more than `maxShare` of the filled cells could not be read, as one sentence each:
   * a column we map but cannot read would otherwise import as "not reported" and hide the problem.
   */
  failures(maxShare: number): string[] {
    return [...this.byColumn.entries()]
      .filter(([, e]) => e.unreadable > 0 && e.unreadable / e.filled > maxShare)
      .map(([column, e]) => `column ${column}: ${String(e.unreadable)} of ${String(e.filled)} cells unreadable (e.g. "${e.example}")`);
  }
}
