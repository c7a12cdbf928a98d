// Line fits for wear and drift trends. Theil-Sen is the default for sensor series: it ignores up to
// ~29 % of wild points (a mis-read tread gauge, a glitching sensor), where least squares would follow them.
import { InsufficientSampleError, median, normalQuantile, quantileSorted } from './descriptive.js';

export interface XY {
  x: number;
  y: number;
}

export interface SlopeInterval {
  low: number;
  high: number;
  /** Nominal coverage, e.g. 0.95. */
  level: number;
}

export interface TheilSenFit {
  slope: number;
  /** Median of y - slope * x (Conover's estimator). */
  intercept: number;
  /**
   * Rank-based (Sen 1968) interval on the slope from the sorted pairwise slopes, or null when there are
   * too few points for that level (fewer than 5 points at 95 %): the caller must then say how unsure it is
   * by other means (e.g. a known measurement error), never treat the point slope as exact.
   */
  slopeCi: SlopeInterval | null;
  /** Smallest and largest pairwise slope: a crude spread that always exists. */
  slopeRange: { low: number; high: number };
  n: number;
  pairCount: number;
}

export interface OlsFit {
  slope: number;
  intercept: number;
  /** Residual standard deviation (n - 2 degrees of freedom); null with only 2 points (a perfect fit says nothing). */
  residualStd: number | null;
  /** Standard error of the slope; null when residualStd is. */
  slopeStdErr: number | null;
  rSquared: number;
  n: number;
}

/**
 * Theil-Sen line. O(n^2) in time and memory over pairs: callers aggregate dense series first
 * (e.g. one point per day), ~500 points cost about 125k pairs.
 * Pairs with equal x carry no slope and are skipped.
 */
export function theilSen(points: readonly XY[], level = 0.95): TheilSenFit {
  const n = points.length;
  // Typed array: no boxing, and its sort is numeric and in place.
  const all = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = points[j].x - points[i].x;
      if (dx !== 0) all[count++] = (points[j].y - points[i].y) / dx;
    }
  }
  if (count === 0) throw new InsufficientSampleError('theilSen (pairs with distinct x)', 1, 0);
  const sorted = all.subarray(0, count).sort();
  const slope = quantileSorted(sorted, 0.5);
  const intercept = median(points.map((p) => p.y - slope * p.x));
  return {
    slope,
    intercept,
    slopeCi: senInterval(sorted, points, level),
    slopeRange: { low: sorted[0], high: sorted[sorted.length - 1] },
    n,
    pairCount: sorted.length,
  };
}

// Sen (1968) / Gilbert (1987) 6.3: C = z * sqrt(Var S), ranks M1 = (N - C)/2 and M2 = (N + C)/2 + 1 in the
// ascending slopes. Var S is Kendall's variance with the tie corrections for groups of equal x and of equal y
// (Sen's eq. 2.6, as scipy.stats.theilslopes does).
function senInterval(sorted: Float64Array, points: readonly XY[], level: number): SlopeInterval | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = points.length;
  const bigN = sorted.length;
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm(points.map((p) => p.x)) - tieTerm(points.map((p) => p.y))) / 18;
  const c = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(varS);
  const m1 = Math.round((bigN - c) / 2);
  const m2 = Math.round((bigN + c) / 2 + 1);
  if (m1 < 1 || m2 > bigN) return null;
  return { low: sorted[m1 - 1], high: sorted[m2 - 1], level };
}

function tieTerm(values: readonly number[]): number {
  const groups = new Map<number, number>();
  for (const v of values) groups.set(v, (groups.get(v) ?? 0) + 1);
  let term = 0;
  for (const t of groups.values()) term += t * (t - 1) * (2 * t + 5);
  return term;
}

/** Ordinary least squares, for well-behaved series and as a cross-check of Theil-Sen. */
export function ols(points: readonly XY[]): OlsFit {
  const n = points.length;
  if (n < 2) throw new InsufficientSampleError('ols', 2, n);
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    sxx += (p.x - mx) * (p.x - mx);
    sxy += (p.x - mx) * (p.y - my);
    syy += (p.y - my) * (p.y - my);
  }
  if (sxx === 0) throw new InsufficientSampleError('ols (distinct x values)', 2, 1);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (const p of points) {
    const r = p.y - (intercept + slope * p.x);
    sse += r * r;
  }
  const residualStd = n > 2 ? Math.sqrt(sse / (n - 2)) : null;
  return {
    slope,
    intercept,
    residualStd,
    slopeStdErr: residualStd === null ? null : residualStd / Math.sqrt(sxx),
    rSquared: syy === 0 ? 1 : 1 - sse / syy,
    n,
  };
}
