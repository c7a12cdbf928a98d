// Descriptive statistics shared by the models. Pure, allocation-light, no dependencies.
// Every function throws InsufficientSampleError rather than returning NaN: a silent NaN would
// flow into a forecast and come out as "due: Invalid Date".

export class InsufficientSampleError extends Error {
  constructor(
    readonly statistic: string,
    readonly needed: number,
    readonly got: number,
  ) {
    super(`${statistic} needs at least ${needed} value(s), got ${got}`);
    this.name = 'InsufficientSampleError';
  }
}

function requireCount(statistic: string, xs: ArrayLike<number>, needed: number): void {
  if (xs.length < needed) throw new InsufficientSampleError(statistic, needed, xs.length);
}

export function sortedCopy(xs: readonly number[]): number[] {
  // Typed-array sort is numeric (Array#sort would compare as strings).
  return Array.from(Float64Array.from(xs).sort());
}

export function mean(xs: readonly number[]): number {
  requireCount('mean', xs, 1);
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** Sample standard deviation (n - 1 denominator). */
export function std(xs: readonly number[]): number {
  requireCount('std', xs, 2);
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/** Quantile of an already ascending-sorted array, linear interpolation (R type 7, numpy default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  requireCount('quantile', sorted, 1);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile q must be in [0, 1], got ${q}`);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function quantile(xs: readonly number[], q: number): number {
  requireCount('quantile', xs, 1);
  return quantileSorted(sortedCopy(xs), q);
}

export function median(xs: readonly number[]): number {
  requireCount('median', xs, 1);
  // Most calls are on tiny buckets (one reading per minute): skip the copy and sort.
  if (xs.length === 1) return xs[0];
  if (xs.length === 2) return (xs[0] + xs[1]) / 2;
  return quantileSorted(Float64Array.from(xs).sort(), 0.5);
}

/** Median absolute deviation from the median (raw, not scaled). */
export function mad(xs: readonly number[]): number {
  requireCount('mad', xs, 1);
  const m = median(xs);
  return median(xs.map((x) => Math.abs(x - m)));
}

/** MAD scaled to estimate the standard deviation of normally distributed data (x 1.4826). */
export function robustStd(xs: readonly number[]): number {
  return 1.4826 * mad(xs);
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9),
 * for turning a confidence level into a z value without a table.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile p must be in (0, 1), got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7): enough for a confidence shown to an owner. */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
