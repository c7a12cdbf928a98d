// Fault kind "unit-suffixed log": some OBD apps write the unit into every cell (the cephasax 19-driver
// log: `82C`, `2124RPM`, `24,77g/s`). The real 4-driver log is rewritten that way and must read exactly
// as the plain one does, and score the same, or the import must fail: never import empty readings.

/** Column -> the suffix the 19-driver log writes after its values. */
const SUFFIX_BY_COLUMN: Record<string, string> = {
  ENGINE_COOLANT_TEMP: 'C',
  ENGINE_LOAD: '%',
  ENGINE_RPM: 'RPM',
  INTAKE_MANIFOLD_PRESSURE: 'kPa',
  MAF: 'g/s',
  AIR_INTAKE_TEMP: 'C',
  SPEED: 'km/h',
  THROTTLE_POS: '%',
};

/** Rewrites a semicolon-separated cephasax log with units appended to every filled cell of the mapped columns. */
export function withUnitSuffixes(text: string): string {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(';');
  const suffixes = header.map((name) => SUFFIX_BY_COLUMN[name.trim().toUpperCase()] ?? '');
  return [
    lines[0] ?? '',
    ...lines.slice(1).map((line) =>
      line
        .split(';')
        .map((cell, i) => (cell.trim() !== '' && (suffixes[i] ?? '') !== '' ? `${cell}${suffixes[i] ?? ''}` : cell))
        .join(';'),
    ),
  ].join('\n');
}
