import { addMonths } from './calendar.js';

describe(addMonths.name, () => {
  it('adds calendar months in UTC', () => {
    expect(addMonths(new Date('2026-03-15T10:00:00Z'), 12).toISOString()).toBe('2027-03-15T10:00:00.000Z');
    expect(addMonths(new Date('2026-03-15T10:00:00Z'), -3).toISOString()).toBe('2025-12-15T10:00:00.000Z');
  });

  it('clamps to the end of a shorter month', () => {
    expect(addMonths(new Date('2026-01-31T00:00:00Z'), 1).toISOString()).toBe('2026-02-28T00:00:00.000Z');
    expect(addMonths(new Date('2027-12-31T00:00:00Z'), 2).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });
});
