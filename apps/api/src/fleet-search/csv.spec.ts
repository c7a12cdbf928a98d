import { csvCell, csvLine } from './csv.js';

describe('csv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180), and leaves plain cells bare', () => {
    expect(csvCell('Wang Wei')).toBe('Wang Wei');
    expect(csvCell('Li, "Lucky"')).toBe('"Li, ""Lucky"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(42_000)).toBe('42000');
  });

  it('puts an apostrophe before a cell a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    // Numbers the API writes itself are not user text: a negative number stays a number.
    expect(csvCell(-3)).toBe('-3');
  });

  it('ends each line with CRLF', () => {
    expect(csvLine(['a', null, 1])).toBe('a,,1\r\n');
  });
});
