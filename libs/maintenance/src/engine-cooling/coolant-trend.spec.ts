import { forecastCrossing } from '../stats/change-detection.js';
import { theilSen, type XY } from '../stats/robust-regression.js';
import { driftTrend } from './coolant-trend.js';

function seeded(seed: number, amplitude: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * amplitude;
  };
}

/** 30 daily warm medians ending today (x = -29.5 .. -0.5 days), as the cooling model fits them. */
const window = (medianC: (day: number) => number): XY[] => Array.from({ length: 30 }, (_, d) => ({ x: d - 29.5, y: medianC(d) }));

describe(driftTrend.name, () => {
  // Seed 2's highway car 16 a week after its drift began: 0.226 C/day from day 41, forecast on day 49.
  // The whole window's Theil-Sen slope was 0.043 C/day and "days to 105 C" 320 against a true 56.
  it("follows a drift that began mid-window: seed 2's car 16 eight days after the onset", () => {
    const rate = 0.226;
    const noise = seeded(16, 0.15);
    const points = window((d) => 90.4 + Math.max(0, d - 21.5) * rate + noise());
    const truthDays = (105 - (90.4 + 8 * rate)) / rate;

    const sut = driftTrend(points);

    expect(theilSen(points).slope).toBeLessThan(0.1);
    expect(sut.since).toMatchObject({ days: expect.any(Number) as number });
    expect(sut.since?.x).toBeGreaterThanOrEqual(-9.5);
    expect(sut.fit.slope).toBeCloseTo(rate, 1);
    const eta = forecastCrossing(sut.fit, 105, 0, 'up')?.eta ?? Number.NaN;
    expect(Math.abs(eta - truthDays) / truthDays).toBeLessThan(0.1);
  });

  it('keeps the whole window for a steady drift, a step (flat after the jump) and a drift that slowed', () => {
    const steady = driftTrend(window((d) => 89 + 0.3 * d));
    const step = driftTrend(window((d) => (d < 20 ? 90 : 100)));
    const slowed = driftTrend(window((d) => 89 + (d < 20 ? 0.4 * d : 8 + 0.05 * (d - 20))));

    expect([steady.since, step.since, slowed.since]).toEqual([null, null, null]);
  });

  it('never switches on a healthy car: 100 windows of daily medians scattered by up to 1 C, with a weekly swing', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const noise = seeded(seed, 1);
      const sut = driftTrend(window((d) => 90 + 0.5 * Math.sin((2 * Math.PI * d) / 7) + noise()));

      expect({ seed, since: sut.since }).toEqual({ seed, since: null });
    }
  });
});
