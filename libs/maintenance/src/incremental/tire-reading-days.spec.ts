import { LATE_ARRIVAL_MS } from './telemetry-segments.js';
import { isClosedTireDay, oldestOpenTireDayMs, TIRE_DAY_CLOSE_AFTER_MS } from './tire-reading-days.js';

const DAY_MS = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('the UTC days of device tyre readings', () => {
  it('closes a day a whole day (and the late-arrival margin) after it ended', () => {
    const closesAt = day('2026-12-05') + DAY_MS + TIRE_DAY_CLOSE_AFTER_MS + LATE_ARRIVAL_MS;
    expect(isClosedTireDay(day('2026-12-05'), new Date(closesAt - 1))).toBe(false);
    expect(isClosedTireDay(day('2026-12-05'), new Date(closesAt))).toBe(true);
  });

  it('has yesterday open all day, and the day before until the late-arrival margin after midnight', () => {
    const dayBeforeCloses = day('2026-12-06') + DAY_MS + TIRE_DAY_CLOSE_AFTER_MS + LATE_ARRIVAL_MS;
    expect(oldestOpenTireDayMs(new Date(day('2026-12-07') + 3_600_000))).toBe(day('2026-12-06'));
    expect(oldestOpenTireDayMs(new Date(day('2026-12-07') + DAY_MS - 1))).toBe(day('2026-12-06'));
    // 2026-12-08, just after midnight: 12-06 is still open for the margin, then only yesterday (12-07) is.
    expect(oldestOpenTireDayMs(new Date(dayBeforeCloses - 1))).toBe(day('2026-12-06'));
    expect(oldestOpenTireDayMs(new Date(dayBeforeCloses))).toBe(day('2026-12-07'));
  });
});
