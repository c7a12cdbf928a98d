import { DAY_MS, isoDay } from './telemetry-sessions.js';

describe(isoDay.name, () => {
  it('formats every UTC day from 1900 to 2200 as Date#toISOString does', () => {
    const mismatches: number[] = [];
    for (let day = Math.floor(Date.UTC(1900, 0, 1) / DAY_MS); day <= Math.floor(Date.UTC(2200, 0, 1) / DAY_MS); day++) {
      if (isoDay(day) !== new Date(day * DAY_MS).toISOString().slice(0, 10)) mismatches.push(day);
    }
    expect(mismatches).toEqual([]);
  });

  it('handles leap days and year ends', () => {
    expect(isoDay(Date.UTC(2028, 1, 29) / DAY_MS)).toBe('2028-02-29');
    expect(isoDay(Date.UTC(2000, 1, 29) / DAY_MS)).toBe('2000-02-29');
    expect(isoDay(Date.UTC(2026, 11, 31) / DAY_MS)).toBe('2026-12-31');
    expect(isoDay(0)).toBe('1970-01-01');
  });
});
