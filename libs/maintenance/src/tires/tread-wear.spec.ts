import fc from 'fast-check';
import { analyzeWheelWear, kmToTreadLimit, WEAR_CHANGE } from './tread-wear.js';
import type { TreadObservation } from './tire-lineage.js';

const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 2, 2);

/**
 * One device reading a day (a day's median): tread from `treadAt(km)`, rounded to `stepMm` (0.01: the median
 * of many dithered readings; 0.1: a single reading's step).
 */
function dailyReadings(days: number, kmPerDay: number, treadAt: (km: number) => number, stepMm = 0.01, startKm = 40_000): TreadObservation[] {
  return Array.from({ length: days }, (_, d) => {
    const km = startKm + d * kmPerDay;
    return {
      ts: new Date(START_MS + d * DAY_MS),
      odometerKm: km,
      treadMm: Math.round(treadAt(km - startKm) / stepMm) * stepMm,
      source: 'DEVICE',
      measuredAt: 'FL',
    };
  });
}

/** 6.0 mm, wearing `before` mm / 1000 km, then `after` from `changeKm` on. */
const twoRates =
  (before: number, after: number, changeKm: number) =>
  (km: number): number =>
    6.0 - (before * Math.min(km, changeKm) + after * Math.max(0, km - changeKm)) / 1000;

describe(analyzeWheelWear.name, () => {
  it('forecasts from the readings since wear sped up, and says from where (0.1 -> 0.3 mm / 1000 km at 3,000 km)', () => {
    // 20 days at 150 km/day before the change, 15 after: 2,100 km at 0.3, i.e. 0.42 mm more than the old rate.
    const obs = dailyReadings(35, 150, twoRates(0.1, 0.3, 3_000));
    const wear = analyzeWheelWear(obs, 40_000 + 34 * 150);

    expect(wear?.fit?.since).toBeDefined();
    expect(wear?.fit?.rateMmPer1000Km).toBeCloseTo(0.3, 1);
    expect(wear?.fit?.since?.earlierRateMmPer1000Km).toBeCloseTo(0.1, 1);
    expect(Math.abs((wear?.fit?.since?.odometerKm ?? 0) - 43_000)).toBeLessThanOrEqual(300);
    // 6.0 - 0.3 - 0.63 = 5.07 mm now; 2.07 mm to 3.0 mm at 0.3 mm / 1000 km = 6,900 km (the whole-history line said ~11,000).
    const fit = wear?.fit;
    if (fit == null) throw new Error('expected a fit');
    expect(Math.abs(kmToTreadLimit(fit, 3.0).expectedKm - 6_900) / 6_900).toBeLessThan(0.05);
  });

  it('keeps the whole-history line until the extra loss since the change is two reading steps', () => {
    // 4 days after the change at 150 km/day: 600 km x 0.2 mm / 1000 km = 0.12 mm more than the old rate.
    const early = analyzeWheelWear(dailyReadings(24, 150, twoRates(0.1, 0.3, 3_000)), 40_000 + 23 * 150);

    expect(early?.fit?.since).toBeUndefined();
    expect(WEAR_CHANGE.minExcessMm).toBe(0.2);
  });

  it('never switches to a slower recent rate (it would postpone a reminder on a few readings)', () => {
    const wear = analyzeWheelWear(dailyReadings(40, 150, twoRates(0.3, 0.1, 3_000)), 40_000 + 39 * 150);

    expect(wear?.fit?.since).toBeUndefined();
  });

  it('never sees a speed-up in steady wear read in 0.1 mm steps', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.02, max: 0.6, noNaN: true }),
        fc.integer({ min: 10, max: 200 }),
        fc.integer({ min: 12, max: 120 }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (rate, kmPerDay, days, phaseMm) => {
          const wear = analyzeWheelWear(
            dailyReadings(days, kmPerDay, (km) => 6.0 - phaseMm - (rate * km) / 1000, 0.1),
            40_000 + (days - 1) * kmPerDay,
          );
          expect(wear?.fit?.since).toBeUndefined();
        },
      ),
      { numRuns: 100 },
    );
  });
});
