import fc from 'fast-check';
import { InsufficientSampleError, median, normalQuantile } from './descriptive.js';
import { ols, theilSen, type TheilSenFit, type XY } from './robust-regression.js';

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

/**
 * Theil-Sen as it was before its order statistics were selected from the median out: every
 * pairwise slope sorted, each rank read from the sorted slopes. The fitted values must stay bit for bit the same.
 */
function sortedTheilSen(points: readonly XY[], level: number): TheilSenFit {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j].x - points[i].x;
      if (dx === 0) continue;
      const slope = (points[j].y - points[i].y) / dx;
      slopes.push(slope === 0 ? 0 : slope);
    }
  }
  const sorted = Float64Array.from(slopes).sort();
  const count = sorted.length;
  const pos = (count - 1) * 0.5;
  const slope = sorted[Math.floor(pos)] + (sorted[Math.ceil(pos)] - sorted[Math.floor(pos)]) * (pos - Math.floor(pos));
  const ties = (values: number[]): number => {
    const groups = new Map<number, number>();
    for (const v of values) groups.set(v, (groups.get(v) ?? 0) + 1);
    return [...groups.values()].reduce((term, t) => term + t * (t - 1) * (2 * t + 5), 0);
  };
  const n = points.length;
  const varS = (n * (n - 1) * (2 * n + 5) - ties(points.map((p) => p.x)) - ties(points.map((p) => p.y))) / 18;
  const c = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(varS);
  const m1 = Math.round((count - c) / 2);
  const m2 = Math.round((count + c) / 2 + 1);
  return {
    slope,
    intercept: median(points.map((p) => p.y - slope * p.x)),
    slopeCi: m1 < 1 || m2 > count ? null : { low: sorted[m1 - 1], high: sorted[m2 - 1], level },
    slopeRange: { low: sorted[0], high: sorted[count - 1] },
    n,
    pairCount: count,
  };
}

describe(`${theilSen.name} against every slope sorted`, () => {
  // Few distinct values: ties in x (skipped pairs), in y and among the slopes (equal order statistics).
  const coarse = fc.array(fc.record({ x: fc.integer({ min: -6, max: 6 }), y: fc.integer({ min: -4, max: 4 }) }), { minLength: 2, maxLength: 60 });
  const fine = fc.array(fc.record({ x: fc.double({ min: -1e4, max: 1e4, noNaN: true }), y: fc.double({ min: -50, max: 50, noNaN: true }) }), {
    minLength: 2,
    maxLength: 130,
  });

  it('gives the very same fit', () => {
    fc.assert(
      fc.property(fc.oneof(coarse, fine), fc.constantFrom(0.8, 0.9, 0.95), (pts, level) => {
        if (!pts.some((p) => p.x !== pts[0].x)) return;
        expect(theilSen(pts, level)).toEqual(sortedTheilSen(pts, level));
      }),
      { numRuns: 400 },
    );
  });

  it('tells -0 from 0 in the input (they can give another intercept)', () => {
    const pts = line([0, 1, 2], [-0, 1, 2]);
    expect(theilSen(pts)).toEqual(sortedTheilSen(pts, 0.95));
    const positive = line([0, 1, 2], [0, 1, 2]);
    expect(theilSen(positive)).toEqual(sortedTheilSen(positive, 0.95));
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
