import { parseIso8601 } from './sample-timestamp.parser.js';

describe(parseIso8601.name, () => {
  it.each([
    ['2026-11-26T08:00:00.000Z', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26T08:00:00Z', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26T08:00Z', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26 08:00:00Z', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26T08:00:00.123456789Z', '2026-11-26T08:00:00.123Z'],
    ['2026-11-26T08:00:00.5Z', '2026-11-26T08:00:00.500Z'],
    ['2026-11-26T09:30:00+01:30', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26T03:00:00-0500', '2026-11-26T08:00:00.000Z'],
    ['2026-11-26T10:00:00+02', '2026-11-26T08:00:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('reads %s', (text, iso) => {
    expect(parseIso8601(text)).toBe(Date.parse(iso));
  });

  it.each([
    ['no zone (local time is ambiguous)', '2026-11-26T08:00:00'],
    ['a date only', '2026-11-26'],
    ['30 February', '2026-02-30T08:00:00Z'],
    ['29 February of a common year', '2026-02-29T08:00:00Z'],
    ['hour 24', '2026-11-26T24:00:00Z'],
    ['a zone of 25 hours', '2026-11-26T08:00:00+25:00'],
    ['a human date', 'Thu, 26 Nov 2026 08:00:00 GMT'],
    ['trailing text', '2026-11-26T08:00:00Zjunk'],
  ])('refuses %s', (_, text) => {
    expect(parseIso8601(text)).toBeUndefined();
  });

  it('keeps years below 100 as written rather than moving them to the 1900s', () => {
    expect(new Date(parseIso8601('0050-01-01T00:00:00Z')!).getUTCFullYear()).toBe(50);
  });
});
