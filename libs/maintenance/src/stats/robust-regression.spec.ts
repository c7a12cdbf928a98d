import fc from 'fast-check';
import { InsufficientSampleError } from './descriptive.js';
import { ols, theilSen, type XY } from './robust-regression.js';

const line = (xs: number[], ys: number[]): XY[] => xs.map((x, i) => ({ x, y: ys[i] }));

describe(theilSen.name, () => {
  it('recovers the tread example: 8.0 mm at 10,000 km, 6.0 mm at 30,000 km -> -0.1 mm per 1,000 km', () => {
    const sut = theilSen(line([10_000, 30_000], [8.0, 6.0]));
    expect(sut.slope * 1000).toBeCloseTo(-0.1, 12);
    // 3.0 mm is reached where 8.0 + slope * (x - 10,000) = 3.0
    expect(sut.intercept + sut.slope * 60_000).toBeCloseTo(3.0, 9);
  });

  it('gives no rank interval for two points: the caller must widen it another way', () => {
    const sut = theilSen(line([0, 1], [0, 1]));
    expect(sut.slopeCi).toBeNull();
    expect(sut.slopeRange).toEqual({ low: 1, high: 1 });
  });

  it('matches scipy.stats.theilslopes slope and interval, and shrugs off an outlier', () => {
    // scipy 1.17: slope 1.0166..., low 0.9666..., high 1.1
    const sut = theilSen(line([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0.0, 1.1, 1.9, 3.2, 3.9, 5.1, 5.8, 7.2, 30.0, 9.0]));
    expect(sut.slope).toBeCloseTo(1.0166666666666666, 12);
    expect(sut.slopeCi?.low).toBeCloseTo(0.9666666666666667, 12);
    expect(sut.slopeCi?.high).toBeCloseTo(1.1, 12);
    expect(sut.slopeCi?.level).toBe(0.95);
    expect(sut.pairCount).toBe(45);
  });

  it('matches scipy on five points, the smallest count with a 95 % rank interval', () => {
    const sut = theilSen(line([1, 2, 3, 4, 5], [2.0, 4.1, 5.9, 8.2, 9.8]));
    expect(sut.slope).toBeCloseTo(1.95, 12);
    expect(sut.slopeCi?.low).toBeCloseTo(1.6, 12);
    expect(sut.slopeCi?.high).toBeCloseTo(2.3, 12);
    expect(theilSen(line([1, 2, 3, 4], [2.0, 4.1, 5.9, 8.2])).slopeCi).toBeNull();
  });

  it('skips pairs with equal x and fails when no pair has distinct x', () => {
    const sut = theilSen(line([0, 0, 2], [0, 10, 2]));
    // pairs (0,0)-(2,2) slope 1 and (0,10)-(2,2) slope -4 -> median -1.5
    expect(sut.slope).toBe(-1.5);
    expect(sut.pairCount).toBe(2);
    expect(() => theilSen(line([3, 3], [1, 2]))).toThrow(InsufficientSampleError);
  });

  it('recovers an exact line with a zero-width interval', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.integer({ min: 6, max: 40 }),
        (slope, intercept, n) => {
          const pts = Array.from({ length: n }, (_, i) => ({ x: i, y: intercept + slope * i }));
          const sut = theilSen(pts);
          expect(sut.slope).toBeCloseTo(slope, 6);
          expect(sut.intercept).toBeCloseTo(intercept, 6);
          expect(sut.slopeCi?.low).toBeCloseTo(slope, 6);
          expect(sut.slopeCi?.high).toBeCloseTo(slope, 6);
        },
      ),
    );
  });

  it('keeps the slope inside its interval and widens the interval with the level', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 8, maxLength: 30 }), (ys) => {
        const pts = ys.map((y, i) => ({ x: i, y: y + 0.5 * i }));
        const narrow = theilSen(pts, 0.8);
        const wide = theilSen(pts, 0.95);
        if (!narrow.slopeCi || !wide.slopeCi) throw new Error('expected intervals with >= 8 points');
        expect(narrow.slopeCi.low).toBeLessThanOrEqual(narrow.slope);
        expect(narrow.slopeCi.high).toBeGreaterThanOrEqual(narrow.slope);
        expect(wide.slopeCi.low).toBeLessThanOrEqual(narrow.slopeCi.low);
        expect(wide.slopeCi.high).toBeGreaterThanOrEqual(narrow.slopeCi.high);
      }),
    );
  });
});

describe(ols.name, () => {
  it('matches scipy.stats.linregress and the hand-computed residual std', () => {
    const sut = ols(line([1, 2, 3, 4, 5], [2.0, 4.1, 5.9, 8.2, 9.8]));
    expect(sut.slope).toBeCloseTo(1.97, 12);
    expect(sut.intercept).toBeCloseTo(0.09, 12);
    expect(sut.residualStd).toBeCloseTo(0.17416467303484123, 12);
    expect(sut.slopeStdErr).toBeCloseTo(0.05507570547285817, 12);
    expect(sut.rSquared).toBeCloseTo(0.9988296493298859 ** 2, 12);
  });

  it('has no residual std with two points', () => {
    const sut = ols(line([10_000, 30_000], [8, 6]));
    expect(sut.slope).toBeCloseTo(-0.0001, 15);
    expect(sut.residualStd).toBeNull();
    expect(sut.slopeStdErr).toBeNull();
  });

  it('refuses fewer than two points or a single x', () => {
    expect(() => ols(line([1], [1]))).toThrow(InsufficientSampleError);
    expect(() => ols(line([2, 2, 2], [1, 2, 3]))).toThrow(InsufficientSampleError);
  });
});
