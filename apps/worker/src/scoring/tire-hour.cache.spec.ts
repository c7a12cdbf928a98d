import type { TireReadingPoint } from '#app/maintenance';
import { TIRE_HOUR_CLOSE_AFTER_MS, TireHourCache } from './tire-hour.cache.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// 15:00 UTC: yesterday and today are the open tyre days, so readings from yesterday's start on may be held.
const now = new Date(Date.UTC(2026, 11, 7, 15, 0, 0));
const yesterday = Date.UTC(2026, 11, 6);
const hourly = (fromMs: number, hours: number): TireReadingPoint[] =>
  Array.from({ length: hours }, (_, i) => ({ position: 'FL', ts: new Date(fromMs + i * HOUR), pressureKpa: 230 + i, source: 'DEVICE' }));
const marked = (at: Date, lateSampleTs: Date | null = null) => ({ lastScoredAt: at, lateSampleTs });

describe(TireHourCache.name, () => {
  // Yesterday 00:00 to today 14:00: 39 hours, the last of them (14:00-15:00) still open at 15:00.
  const points = hourly(yesterday, 39);
  const closedUntil = Math.floor((now.getTime() - TIRE_HOUR_CLOSE_AFTER_MS) / HOUR) * HOUR;

  it('holds the closed hours read by the score that marked the car last, and hands them to its next score', () => {
    const sut = new TireHourCache(10);
    expect(sut.take('a', yesterday, marked(new Date(0)))).toBeNull();
    sut.keep('a', yesterday, points, now);
    const held = sut.take('a', yesterday, marked(now));
    expect(held?.untilMs).toBe(closedUntil);
    expect(held?.points).toEqual(points.filter((p) => p.ts.getTime() < closedUntil));
    expect(held?.points.length).toBe(38);
  });

  it('reads again what it cannot vouch for: a car marked by another score, a watermark gone back, two reads at once', () => {
    const sut = new TireHourCache(10);
    sut.take('a', yesterday, marked(new Date(0)));
    sut.keep('a', yesterday, points, now);
    expect(sut.take('a', yesterday, marked(new Date(now.getTime() + 1)))).toBeNull();
    sut.release('a');
    // The entry is gone: the score that did not match dropped it.
    expect(sut.take('a', yesterday, marked(now))).toBeNull();
    sut.keep('a', yesterday, points, now);

    expect(sut.take('a', yesterday - DAY, marked(now))).toBeNull();
    sut.release('a');
    expect(sut.size).toBe(0);

    sut.take('a', yesterday, marked(now));
    sut.keep('a', yesterday, points, now);
    expect(sut.take('a', yesterday, marked(now))).not.toBeNull();
    // A second read of the car while the first is in flight: neither may hold what it read.
    expect(sut.take('a', yesterday, marked(now))).toBeNull();
    sut.keep('a', yesterday, points, now);
    sut.keep('a', yesterday, points, now);
    expect(sut.size).toBe(0);
  });

  it('reads again from the hour of a sample stored late', () => {
    const sut = new TireHourCache(10);
    sut.take('a', yesterday, marked(new Date(0)));
    sut.keep('a', yesterday, points, now);
    const late = new Date(yesterday + 30 * HOUR + 25 * 60_000);
    const held = sut.take('a', yesterday, marked(now, late));
    expect(held?.untilMs).toBe(yesterday + 30 * HOUR);
    expect(held?.points.map((p) => p.ts.getTime())).toEqual(points.slice(0, 30).map((p) => p.ts.getTime()));
  });

  it('hands over only the hours from the watermark, and holds nothing from a read that reaches into folded days', () => {
    const sut = new TireHourCache(10);
    sut.take('a', yesterday, marked(new Date(0)));
    sut.keep('a', yesterday, points, now);
    const today = yesterday + DAY;
    expect(sut.take('a', today, marked(now))?.points.every((p) => p.ts.getTime() >= today)).toBe(true);
    sut.release('a');

    sut.take('b', yesterday - 10 * DAY, marked(new Date(0)));
    sut.keep('b', yesterday - 10 * DAY, [...hourly(yesterday - 10 * DAY, 3), ...points], now);
    expect(sut.take('b', yesterday, marked(now))).toBeNull();
  });

  it('keeps the points as they were read: frozen copies', () => {
    const sut = new TireHourCache(10);
    const read = hourly(yesterday, 3);
    sut.take('a', yesterday, marked(new Date(0)));
    sut.keep('a', yesterday, read, now);
    const held = sut.take('a', yesterday, marked(now));
    expect(held?.points).toEqual(read);
    expect(() => {
      (held?.points[0] as { pressureKpa?: number }).pressureKpa = 1;
    }).toThrow(TypeError);
  });

  it('holds at most maxVehicles cars, the least recently kept out first', () => {
    const sut = new TireHourCache(2);
    for (const car of ['a', 'b', 'c']) {
      sut.take(car, yesterday, marked(new Date(0)));
      sut.keep(car, yesterday, points, now);
    }
    expect(sut.size).toBe(2);
    expect(sut.take('a', yesterday, marked(now))).toBeNull();
    expect(sut.take('c', yesterday, marked(now))).not.toBeNull();
  });
});
