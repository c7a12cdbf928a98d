/** Splits a delimited log into trimmed cells per line, skipping blank lines. No quoting in these logs. */
export function splitDelimitedLines(text: string, delimiter: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(delimiter).map((cell) => cell.trim()));
}

/** A number from a cell, accepting a decimal comma; undefined for an empty or non-numeric cell. */
export function parseNumberCell(cell: string | undefined, decimalComma = false): number | undefined {
  if (cell === undefined || cell === '') return undefined;
  const value = Number(decimalComma ? cell.replace(',', '.') : cell);
  return Number.isFinite(value) ? value : undefined;
}

/** Index of each wanted column, by its normalised name. */
export function columnIndex(header: readonly string[], normalise: (name: string) => string): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, position) => {
    const key = normalise(name);
    if (key !== '' && !index.has(key)) index.set(key, position);
  });
  return index;
}
