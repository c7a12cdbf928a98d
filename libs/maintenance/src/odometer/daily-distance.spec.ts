import fc from 'fast-check';
import { estimateDailyDistance, forecastDaysToDrive, type DailyDistance } from './daily-distance.js';
import { drivingSamples } from './driving-history.factory.js';
import { cleanOdometer } from './odometer-cleaner.js';

const estimate = (...args: Parameters<typeof drivingSamples>): ReturnType<typeof estimateDailyDistance> =>
  estimateDailyDistance(cleanOdometer(drivingSamples(...args)));
const expectEstimate = (r: ReturnType<typeof estimateDailyDistance>): DailyDistance => {
  if (r.kind !== 'estimate') throw new Error(`expected an estimate, got: ${r.reason}`);
  return r;
};

describe(estimateDailyDistance.name, () => {
  it('finds 40 km/day for a car driving 40 km every morning', () => {
    const sut = expectEstimate(estimate({ days: 30, kmPerDay: 40 }));
    // drives at 08:00 on days 0..29: midnights of days 1..29 bound 28 whole days
    expect(sut.fullDays).toBe(28);
    expect(sut.kmPerDay).toBeCloseTo(40, 6);
    expect(sut.medianDailyKm).toBeCloseTo(40, 6);
    expect(sut.kmPerDayLow).toBeCloseTo(40, 6);
    expect(sut.kmPerDayHigh).toBeCloseTo(40, 6);
  });

  it('gives a weekend-only driver a weekly-average rate, not the median day of 0 km', () => {
    const sut = expectEstimate(estimate({ days: 29, kmPerDay: (d) => (d % 7 === 5 ? 140 : 0) }));
    expect(sut.medianDailyKm).toBe(0);
    expect(sut.kmPerDay).toBeCloseTo(20, 6);
  });

  it('is not dragged by one long road trip', () => {
    const sut = expectEstimate(estimate({ days: 30, kmPerDay: (d) => (d === 15 ? 900 : 30) }));
    expect(sut.medianDailyKm).toBeCloseTo(30, 6);
    // 7 of 23 rolling windows contain the trip: the median window does not.
    expect(sut.kmPerDay).toBeCloseTo(30, 6);
    expect(sut.kmPerDayHigh).toBeGreaterThan(100);
  });

  it('spreads the distance across a gap evenly instead of losing it', () => {
    const samples = drivingSamples({ days: 20, kmPerDay: 50 }).filter((s) => {
      const day = Math.floor((s.ts.getTime() - Date.parse('2026-10-01T00:00:00Z')) / 86_400_000);
      return day < 8 || day > 11; // device unplugged for four days, the car still drove
    });
    const sut = expectEstimate(estimateDailyDistance(cleanOdometer(samples)));
    // 20 days of data -> 18 whole days, the four in the gap included
    expect(sut.totalKm).toBeCloseTo(18 * 50, 6);
    expect(sut.kmPerDay).toBeCloseTo(50, 6);
  });

  it('refuses to estimate from fewer than seven whole days', () => {
    const sut = estimate({ days: 5, kmPerDay: 40 });
    expect(sut.kind).toBe('insufficient-data');
  });

  it('does not count distance across an odometer reset', () => {
    const first = drivingSamples({ days: 10, kmPerDay: 40, startKm: 120_000 });
    const second = drivingSamples({ start: new Date('2026-10-11T00:00:00Z'), days: 10, kmPerDay: 40, startKm: 10 });
    const sut = expectEstimate(estimateDailyDistance(cleanOdometer([...first, ...second])));
    expect(sut.kmPerDay).toBeCloseTo(40, 6);
    // 8 whole days in each 10-day segment; the reset day is unknown
    expect(sut.fullDays).toBe(16);
    expect(sut.totalKm).toBeCloseTo(16 * 40, 6);
  });
});

describe(forecastDaysToDrive.name, () => {
  const rate = (kmPerDay: number, low = kmPerDay * 0.5, high = kmPerDay * 2): DailyDistance => ({
    kind: 'estimate',
    fullDays: 30,
    totalKm: kmPerDay * 30,
    medianDailyKm: kmPerDay,
    p10DailyKm: low,
    p90DailyKm: high,
    kmPerDay,
    kmPerDayLow: low,
    kmPerDayHigh: high,
    level: 0.8,
  });

  it('divides the distance by the rates: 1,000 km at 50 (25..100) km/day', () => {
    expect(forecastDaysToDrive(1000, rate(50))).toEqual({ expectedDays: 20, earliestDays: 10, latestDays: 40, capped: false });
  });

  it('caps a car that is not driven at the horizon instead of dividing by zero', () => {
    const sut = forecastDaysToDrive(1000, rate(0, 0, 0));
    expect(sut.expectedDays).toBe(3650);
    expect(sut.capped).toBe(true);
    expect(forecastDaysToDrive(0, rate(0, 0, 0)).expectedDays).toBe(0);
  });

  it('never forecasts later for a car that drives more', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 100_000, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (km, a, b) => {
          const [slow, fast] = a <= b ? [a, b] : [b, a];
          const s = forecastDaysToDrive(km, rate(slow));
          const f = forecastDaysToDrive(km, rate(fast));
          expect(f.expectedDays).toBeLessThanOrEqual(s.expectedDays);
          expect(f.earliestDays).toBeLessThanOrEqual(f.expectedDays);
          expect(f.expectedDays).toBeLessThanOrEqual(f.latestDays);
        },
      ),
    );
  });
});
