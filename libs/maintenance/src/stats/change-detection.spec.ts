import fc from 'fast-check';
import { cusum, findFlatRuns, forecastCrossing, InvalidCusumScaleError } from './change-detection.js';
import { theilSen } from './robust-regression.js';

const line = (n: number, slope: number, intercept: number) => Array.from({ length: n }, (_, x) => ({ x, y: intercept + slope * x }));

describe(cusum.name, () => {
  it('accumulates a shift of 2 sd by (z - k) per value (hand-computed)', () => {
    // z = 2, k = 0.5 from index 2: 1.5, 3, 4.5, 6 -> first above h = 5 at index 5; the shift began at index 2.
    const sut = cusum([10, 10, 12, 12, 12, 12], { target: 10, scale: 1, k: 0.5, h: 5 });

    expect(sut.upper).toEqual([0, 0, 1.5, 3, 4.5, 6]);
    expect(sut.upAlarmIndex).toBe(5);
    expect(sut.upChangeIndex).toBe(2);
    expect(sut.downAlarmIndex).toBeNull();
  });

  it('detects a downward shift on the lower side', () => {
    const sut = cusum([5, 5, 3, 3, 3, 3, 3], { target: 5, scale: 0.5, h: 4 });

    expect(sut.downAlarmIndex).toBe(3);
    expect(sut.downChangeIndex).toBe(2);
    expect(sut.upAlarmIndex).toBeNull();
  });

  it('rejects a zero scale rather than dividing by it', () => {
    expect(() => cusum([1, 2], { target: 1, scale: 0 })).toThrow(InvalidCusumScaleError);
  });

  it('never alarms on values inside the allowance', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { maxLength: 200 }), (zs) => {
        const sut = cusum(zs, { target: 0, scale: 1, k: 0.5, h: 5 });
        expect(sut.maxUpper).toBe(0);
        expect(sut.maxLower).toBe(0);
      }),
    );
  });
});

describe(findFlatRuns.name, () => {
  const series = (values: number[], stepMs = 1000) => values.map((v, i) => ({ t: i * stepMs, v }));

  it('finds a long constant stretch and ignores short ones', () => {
    const sut = findFlatRuns(series([1, 2, 5, 5, 5, 5, 5, 3, 3]), { tolerance: 0, minDurationMs: 3000, minPoints: 3 });

    expect(sut).toEqual([{ startIndex: 2, endIndex: 6, startT: 2000, endT: 6000, value: 5 }]);
  });

  it('treats values within the tolerance as unchanged, including a run at the end', () => {
    const sut = findFlatRuns(series([0, 9, 9.05, 8.96, 9.02]), { tolerance: 0.1, minDurationMs: 2000, minPoints: 3 });

    expect(sut).toEqual([{ startIndex: 1, endIndex: 4, startT: 1000, endT: 4000, value: 9 }]);
  });

  it('needs enough points, not just elapsed time', () => {
    expect(findFlatRuns(series([7, 7], 3_600_000), { tolerance: 0, minDurationMs: 1000, minPoints: 3 })).toEqual([]);
    expect(findFlatRuns([], { tolerance: 0, minDurationMs: 1, minPoints: 1 })).toEqual([]);
  });
});

describe(forecastCrossing.name, () => {
  it('gives the time to the limit of a significant rising trend (hand-computed: (105 - 99) / 0.5 = 12)', () => {
    const fit = theilSen(line(10, 0.5, 94.5)); // at x = 9 the line is at 99

    expect(forecastCrossing(fit, 105, 9, 'up')).toEqual({ eta: 12, low: 12, high: 12, level: 0.95, levelNow: 99 });
  });

  it('makes no forecast for a flat or opposite trend', () => {
    const flat = theilSen([0, 1, 0, 1, 0, 1, 0, 1].map((y, x) => ({ x, y })));

    expect(forecastCrossing(flat, 10, 7, 'up')).toBeNull();
    expect(forecastCrossing(theilSen(line(10, -1, 50)), 60, 9, 'up')).toBeNull();
  });

  it('forecasts a falling trend towards a lower limit', () => {
    const fit = theilSen(line(10, -0.02, 12.6)); // battery-like: 12.42 V at x = 9

    const sut = forecastCrossing(fit, 12.2, 9, 'down');

    expect(sut?.eta).toBeCloseTo(11, 6);
  });

  it('returns 0 when the line is already past the limit and still heading on', () => {
    expect(forecastCrossing(theilSen(line(10, 1, 100)), 105, 9, 'up')?.eta).toBe(0);
  });

  it('widens the interval with noise and keeps low <= eta <= high', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 12, maxLength: 30 }), (noise) => {
        const fit = theilSen(noise.map((e, x) => ({ x, y: 90 + 0.5 * x + e })));
        const sut = forecastCrossing(fit, 200, noise.length - 1, 'up');
        if (sut !== null) {
          expect(sut.low).toBeLessThanOrEqual(sut.eta + 1e-9);
          expect(sut.high).toBeGreaterThanOrEqual(sut.eta - 1e-9);
        }
      }),
    );
  });
});
