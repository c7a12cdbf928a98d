import { configuredRepeatInterval, repeatInterval } from './repeat.policy.js';

const HOUR = 3_600_000;

describe(repeatInterval.name, () => {
  it('repeats SOON weekly, URGENT daily and CRITICAL every 4 hours by default', () => {
    expect(repeatInterval('SOON')).toBe(168 * HOUR);
    expect(repeatInterval('URGENT')).toBe(24 * HOUR);
    expect(repeatInterval('CRITICAL')).toBe(4 * HOUR);
  });

  it('does not repeat WATCH or OK', () => {
    expect(repeatInterval('WATCH')).toBeNull();
    expect(repeatInterval('OK')).toBeNull();
  });

  it('takes configured cadences over the defaults, null or 0 meaning never', () => {
    expect(repeatInterval('URGENT', { URGENT: 12 * HOUR })).toBe(12 * HOUR);
    expect(repeatInterval('SOON', { URGENT: 12 * HOUR })).toBe(168 * HOUR);
    expect(repeatInterval('SOON', { SOON: null })).toBeNull();
    expect(repeatInterval('CRITICAL', { CRITICAL: 0 })).toBeNull();
  });
});

describe(configuredRepeatInterval.name, () => {
  it('reads REMINDER_REPEAT_*_HOURS as hours, 0 as never, and never repeats OK or WATCH', () => {
    const hours = { SOON: 168, URGENT: 0, CRITICAL: 4 };
    expect(configuredRepeatInterval('SOON', hours)).toBe(168 * HOUR);
    expect(configuredRepeatInterval('URGENT', hours)).toBeNull();
    expect(configuredRepeatInterval('CRITICAL', hours)).toBe(4 * HOUR);
    expect(configuredRepeatInterval('WATCH', hours)).toBeNull();
  });
});
