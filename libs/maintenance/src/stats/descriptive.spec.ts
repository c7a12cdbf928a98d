import fc from 'fast-check';
import { InsufficientSampleError, mad, mean, median, normalQuantile, quantile, robustStd, std } from './descriptive.js';

describe('descriptive statistics', () => {
  describe(mean.name, () => {
    it('averages the values', () => {
      expect(mean([1, 2, 3, 4])).toBe(2.5);
    });
    it('refuses an empty sample instead of returning NaN', () => {
      expect(() => mean([])).toThrow(InsufficientSampleError);
    });
  });

  describe(median.name, () => {
    it('takes the middle value of an odd count, unsorted input', () => {
      expect(median([9, 1, 5])).toBe(5);
    });
    it('averages the two middle values of an even count', () => {
      expect(median([4, 1, 3, 2])).toBe(2.5);
    });
    it('sorts numerically, not as strings', () => {
      expect(median([10, 9, 100])).toBe(10);
    });
    it('does not mutate its input', () => {
      const xs = [3, 1, 2];
      median(xs);
      expect(xs).toEqual([3, 1, 2]);
    });
  });

  describe(quantile.name, () => {
    it('interpolates linearly between order statistics (numpy default)', () => {
      // positions: (5 - 1) * 0.1 = 0.4 -> 10 + 0.4 * 10
      expect(quantile([10, 20, 30, 40, 50], 0.1)).toBeCloseTo(14, 12);
      expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 12);
      expect(quantile([10, 20, 30, 40, 50], 0)).toBe(10);
      expect(quantile([10, 20, 30, 40, 50], 1)).toBe(50);
    });
    it('rejects q outside [0, 1]', () => {
      expect(() => quantile([1], 1.5)).toThrow(RangeError);
    });
    it('is monotonic in q and stays within the data range', () => {
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (xs, a, b) => {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            expect(quantile(xs, lo)).toBeLessThanOrEqual(quantile(xs, hi));
            expect(quantile(xs, lo)).toBeGreaterThanOrEqual(Math.min(...xs));
            expect(quantile(xs, hi)).toBeLessThanOrEqual(Math.max(...xs));
          },
        ),
      );
    });
  });

  describe(std.name, () => {
    it('uses the n - 1 denominator', () => {
      // mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, 32 / 7
      expect(std([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    });
    it('needs two values', () => {
      expect(() => std([1])).toThrow(InsufficientSampleError);
    });
  });

  describe(mad.name, () => {
    it('is the median absolute deviation from the median', () => {
      // median 2; deviations 1,1,0,0,2,4,7 -> median 1
      expect(mad([1, 1, 2, 2, 4, 6, 9])).toBe(1);
    });
    it('ignores a single wild outlier, unlike std', () => {
      const clean = [10, 11, 12, 13, 14];
      const dirty = [10, 11, 12, 13, 1400];
      expect(mad(dirty)).toBe(mad(clean));
      expect(robustStd(clean)).toBeCloseTo(1.4826, 4);
    });
  });

  describe(normalQuantile.name, () => {
    it('matches the familiar z values', () => {
      expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
      expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
      expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
      expect(normalQuantile(0.9)).toBeCloseTo(1.281552, 5);
    });
    it('rejects 0 and 1', () => {
      expect(() => normalQuantile(0)).toThrow(RangeError);
      expect(() => normalQuantile(1)).toThrow(RangeError);
    });
  });
});
