// Line fits for wear and drift trends. Theil-Sen is the default for sensor series: it ignores up to
// ~29 % of wild points (a mis-read tread gauge, a glitching sensor), where least squares would follow them.
import { InsufficientSampleError, median, normalQuantile } from './descriptive.js';

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
  // Typed array: no boxing. Zero slopes are stored as +0 so that a slope's sign never depends on the order.
  const all = new Float64Array((n * (n - 1)) / 2);
  let count = 0;
  let finite = true;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = points[j].x - points[i].x;
      if (dx === 0) continue;
      const slope = (points[j].y - points[i].y) / dx;
      finite &&= Number.isFinite(slope);
      all[count++] = slope === 0 ? 0 : slope;
    }
  }
  if (count === 0) throw new InsufficientSampleError('theilSen (pairs with distinct x)', 1, 0);
  const slopes = all.subarray(0, count);
  // Only a few order statistics are read (the median, the interval's ranks, the extremes): selecting them
  // is O(pairs) where sorting is O(pairs log pairs), and V8's typed-array sort measured ~6x slower than
  // three selections on 7,000 slopes. The values are the same as from the sorted slopes.
  const at = finite ? medianFirst(slopes) : sortedAccess(slopes);
  const pos = (count - 1) * 0.5;
  const lo = at(Math.floor(pos));
  const slope = lo + (at(Math.ceil(pos)) - lo) * (pos - Math.floor(pos));
  const intercept = median(points.map((p) => p.y - slope * p.x));
  let low = Infinity;
  let high = -Infinity;
  for (const s of slopes) {
    if (s < low) low = s;
    if (s > high) high = s;
  }
  return {
    slope,
    intercept,
    slopeCi: senInterval(at, count, points, level),
    slopeRange: finite ? { low, high } : { low: at(0), high: at(count - 1) },
    n,
    pairCount: count,
  };
}

/**
 * Order statistics of finite values, the lower median selected first: the selection leaves the values
 * partitioned around it, so the upper median is the smallest value above it (one scan), and every other rank
 * (the interval's, one below and one above the median: senInterval) is selected in its side only (half the work).
 */
function medianFirst(values: Float64Array): (rank: number) => number {
  const mid = (values.length - 1) >> 1;
  const midValue = selectRank(values, mid, 0, values.length - 1);
  let above: number | undefined;
  return (rank) => {
    if (rank === mid) return midValue;
    if (rank < mid) return selectRank(values, rank, 0, mid - 1);
    if (rank === mid + 1) {
      if (above === undefined) {
        above = Infinity;
        for (let i = mid + 1; i < values.length; i++) if (values[i] < above) above = values[i];
      }
      return above;
    }
    return selectRank(values, rank, mid + 1, values.length - 1);
  };
}

/**
 * The rank-th smallest (0-based) of `values`, which must be among values[from..to] (the rest being all below or
 * all above them), reordering them in place so that the ones before `rank` are <= it and the ones after >= it
 * (Hoare's selection, middle pivot).
 */
function selectRank(values: Float64Array, rank: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (hi > lo) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (rank <= j) hi = j;
    else if (rank >= i) lo = i;
    else return values[rank];
  }
  return values[rank];
}

/** With a NaN among the slopes (comparisons fail), the ranks come from the sorted slopes as before. */
function sortedAccess(values: Float64Array): (rank: number) => number {
  const sorted = values.sort();
  return (rank) => sorted[rank];
}

// Sen (1968) / Gilbert (1987) 6.3: C = z * sqrt(Var S), ranks M1 = (N - C)/2 and M2 = (N + C)/2 + 1 in the
// ascending slopes. Var S is Kendall's variance with the tie corrections for groups of equal x and of equal y
// (Sen's eq. 2.6, as scipy.stats.theilslopes does).
function senInterval(at: (rank: number) => number, bigN: number, points: readonly XY[], level: number): SlopeInterval | null {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be in (0, 1), got ${level}`);
  const n = points.length;
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm(points.map((p) => p.x)) - tieTerm(points.map((p) => p.y))) / 18;
  const c = normalQuantile(1 - (1 - level) / 2) * Math.sqrt(varS);
  const m1 = Math.round((bigN - c) / 2);
  const m2 = Math.round((bigN + c) / 2 + 1);
  if (m1 < 1 || m2 > bigN) return null;
  return { low: at(m1 - 1), high: at(m2 - 1), level };
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

/**
 * The index splitting points sorted by x into two runs of at least `minPoints` whose least-squares lines
 * leave the smallest squared error, with both slopes. O(n) with prefix sums. Used where a rate changes
 * mid-history (tyre wear that sped up, a coolant drift that began).
 */
export function bestTwoLineSplit(pts: readonly XY[], minPoints: number): { at: number; earlierSlope: number; recentSlope: number } | undefined {
  const n = pts.length;
  // Prefix sums, shifted by the first point so the squares stay small.
  const x0 = pts[0].x;
  const y0 = pts[0].y;
  const sums = new Float64Array((n + 1) * 5);
  for (let i = 0; i < n; i++) {
    const x = pts[i].x - x0;
    const y = pts[i].y - y0;
    const o = i * 5;
    sums[o + 5] = sums[o] + x;
    sums[o + 6] = sums[o + 1] + y;
    sums[o + 7] = sums[o + 2] + x * x;
    sums[o + 8] = sums[o + 3] + x * y;
    sums[o + 9] = sums[o + 4] + y * y;
  }
  const line = (from: number, to: number): { slope: number; sse: number } | undefined => {
    const k = to - from;
    const [sx, sy, sxx, sxy, syy] = [0, 1, 2, 3, 4].map((j) => sums[to * 5 + j] - sums[from * 5 + j]);
    const vxx = sxx - (sx * sx) / k;
    if (vxx <= 0) return undefined;
    const vxy = sxy - (sx * sy) / k;
    return { slope: vxy / vxx, sse: Math.max(0, syy - (sy * sy) / k - (vxy * vxy) / vxx) };
  };
  let best: { at: number; earlierSlope: number; recentSlope: number; sse: number } | undefined;
  for (let at = minPoints; at <= n - minPoints; at++) {
    const [a, b] = [line(0, at), line(at, n)];
    if (a === undefined || b === undefined) continue;
    if (best === undefined || a.sse + b.sse < best.sse) best = { at, earlierSlope: a.slope, recentSlope: b.slope, sse: a.sse + b.sse };
  }
  return best;
}
