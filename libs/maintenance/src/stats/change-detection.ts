// Change detection for daily aggregates and raw sensor series.
// - CUSUM (Page 1954, tabular form) notices a small sustained shift against a known baseline sooner
//   than a threshold on single values, because it accumulates evidence day after day.
// - Flat runs find a sensor that stopped changing (stuck), which would otherwise look like a very
//   stable, very healthy car.
// - Threshold crossing turns a fitted trend and its slope interval into "due in N days, between L and H".
import type { TheilSenFit } from './robust-regression.js';

export interface CusumOptions {
  /** The in-control level (e.g. the learned baseline). */
  target: number;
  /** The in-control spread (a standard deviation); values are standardised by it. Must be > 0. */
  scale: number;
  /** Allowance in standard deviations: shifts smaller than about 2k are ignored. Default 0.5. */
  k?: number;
  /** Decision interval in standard deviations. Default 5 (in-control run length ~ 465 points for k = 0.5). */
  h?: number;
}

export interface CusumResult {
  /** Upper statistic after each value (standardised units). */
  upper: number[];
  lower: number[];
  maxUpper: number;
  maxLower: number;
  /** Index of the first value at which the upper statistic exceeded h, or null. */
  upAlarmIndex: number | null;
  downAlarmIndex: number | null;
  /** Where the upward shift most likely began: the value after the upper statistic last sat at 0 before the alarm. */
  upChangeIndex: number | null;
  downChangeIndex: number | null;
}

export class InvalidCusumScaleError extends Error {
  constructor(readonly scale: number) {
    super(`CUSUM scale must be a positive finite number, got ${scale}`);
    this.name = 'InvalidCusumScaleError';
  }
}

export function cusum(values: readonly number[], options: CusumOptions): CusumResult {
  const { target, scale } = options;
  const k = options.k ?? 0.5;
  const h = options.h ?? 5;
  if (!(scale > 0 && Number.isFinite(scale))) throw new InvalidCusumScaleError(scale);
  const upper: number[] = [];
  const lower: number[] = [];
  let su = 0;
  let sl = 0;
  let lastUpZero = -1;
  let lastDownZero = -1;
  let upAlarmIndex: number | null = null;
  let downAlarmIndex: number | null = null;
  let upChangeIndex: number | null = null;
  let downChangeIndex: number | null = null;
  let maxUpper = 0;
  let maxLower = 0;
  for (let i = 0; i < values.length; i++) {
    const z = (values[i] - target) / scale;
    su = Math.max(0, su + z - k);
    sl = Math.max(0, sl - z - k);
    if (su === 0) lastUpZero = i;
    if (sl === 0) lastDownZero = i;
    if (su > h && upAlarmIndex === null) {
      upAlarmIndex = i;
      upChangeIndex = lastUpZero + 1;
    }
    if (sl > h && downAlarmIndex === null) {
      downAlarmIndex = i;
      downChangeIndex = lastDownZero + 1;
    }
    maxUpper = Math.max(maxUpper, su);
    maxLower = Math.max(maxLower, sl);
    upper.push(su);
    lower.push(sl);
  }
  return { upper, lower, maxUpper, maxLower, upAlarmIndex, downAlarmIndex, upChangeIndex, downChangeIndex };
}

export interface TimedValue {
  /** Time in ms (epoch or relative), ascending. */
  t: number;
  v: number;
}

export interface FlatRunOptions {
  /** Values within this distance of the run's first value count as unchanged. 0 = identical readings. */
  tolerance: number;
  /** A run shorter than this (last t - first t) is normal steadiness, not a stuck sensor. */
  minDurationMs: number;
  /** A run needs at least this many points, so two readings hours apart do not make a "run". */
  minPoints: number;
}

export interface FlatRun {
  startIndex: number;
  /** Inclusive. */
  endIndex: number;
  startT: number;
  endT: number;
  value: number;
}

/** Maximal runs of (near-)constant values lasting at least minDurationMs. O(n). */
export function findFlatRuns(series: readonly TimedValue[], options: FlatRunOptions): FlatRun[] {
  const runs: FlatRun[] = [];
  let start = 0;
  const close = (end: number): void => {
    const count = end - start + 1;
    if (count >= options.minPoints && series[end].t - series[start].t >= options.minDurationMs) {
      runs.push({ startIndex: start, endIndex: end, startT: series[start].t, endT: series[end].t, value: series[start].v });
    }
  };
  for (let i = 1; i < series.length; i++) {
    if (Math.abs(series[i].v - series[start].v) > options.tolerance) {
      close(i - 1);
      start = i;
    }
  }
  if (series.length > 0) close(series.length - 1);
  return runs;
}

/** Whether t falls inside one of the runs (both ends included): the readings a stuck sensor made. */
export function inFlatRuns(t: number, runs: readonly FlatRun[]): boolean {
  return runs.some((r) => t >= r.startT && t <= r.endT);
}

export function flatRunHours(runs: readonly FlatRun[]): number {
  return runs.reduce((h, r) => h + (r.endT - r.startT) / 3_600_000, 0);
}

export interface CrossingForecast {
  /** Point estimate of the time until the trend reaches the limit, in the fit's x units from `fromX`. */
  eta: number;
  /** From the slope interval: the fastest and slowest plausible approach. high may be Infinity. */
  low: number;
  high: number;
  level: number;
  /** The fitted value at fromX. */
  levelNow: number;
}

/**
 * When does the fitted line reach `limit` going `direction`, counted from `fromX`? Only for a trend
 * whose whole slope interval points that way: a slope indistinguishable from 0 makes no forecast.
 * Returns null when the fit has no interval or the trend is not significant in that direction.
 * A line already at or past the limit gives eta 0.
 */
export function forecastCrossing(fit: TheilSenFit, limit: number, fromX: number, direction: 'up' | 'down'): CrossingForecast | null {
  const ci = fit.slopeCi;
  if (ci === null) return null;
  const levelNow = fit.intercept + fit.slope * fromX;
  const sign = direction === 'up' ? 1 : -1;
  const gap = (limit - levelNow) * sign;
  const significant = direction === 'up' ? ci.low > 0 : ci.high < 0;
  if (gap <= 0) return significant || fit.slope * sign > 0 ? { eta: 0, low: 0, high: 0, level: ci.level, levelNow } : null;
  if (!significant) return null;
  const fastest = Math.abs(direction === 'up' ? ci.high : ci.low);
  const slowest = Math.abs(direction === 'up' ? ci.low : ci.high);
  return { eta: gap / Math.abs(fit.slope), low: gap / fastest, high: gap / slowest, level: ci.level, levelNow };
}
