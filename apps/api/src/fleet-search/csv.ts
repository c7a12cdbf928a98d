/**
 * RFC 4180 CSV, hand-written: a dozen lines, where a library (none is installed) would add a dependency for
 * the same quoting. A cell that a spreadsheet would run as a formula (starting with = + - @, or a tab or
 * carriage return that hides one) gets a leading apostrophe (OWASP "CSV injection"), so an owner's name typed
 * as `=HYPERLINK(...)` stays text on the advisor's machine.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly (string | number | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
