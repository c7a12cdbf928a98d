// Wear rate of one tyre against distance, and the distance left to a tread limit.
import { normalQuantile } from '../stats/descriptive.js';
import { bestTwoLineSplit, theilSen, type TheilSenFit, type XY } from '../stats/robust-regression.js';
import type { TreadObservation } from './tire-lineage.js';

export const TREAD_LIMITS_MM = { recommended: 3.0, legal: 1.6 } as const;
/** Interval level for wear rates, matched to the daily-distance interval so the two combine sensibly. */
export const WEAR_INTERVAL_LEVEL = 0.8;
/** A tread gauge reads to about +-0.3 mm: the floor on how sure two readings can make us. */
const MEASUREMENT_SD_MM = 0.3;
const MIN_SPAN_KM = 500;
/** Faster than this is not wear but inconsistent readings (even a badly misaligned tyre stays below). */
const MAX_PLAUSIBLE_RATE_MM_PER_1000KM = 2.0;
/** Distances beyond this are reported as "not by distance" (tyres age out first). */
export const MAX_FORECAST_KM = 300_000;
/**
 * Wear that sped up (misalignment, a worn suspension part, a heavier load from some day on): a line through
 * the whole history averages the old rate in and forecasts the limit too late for weeks. The forecast
 * switches to the readings since the change only when the change is plain: each side has its own span of
 * readings, the recent rate is half again the earlier one and the two intervals do not overlap, and the
 * extra tread lost since the change is at least two 0.1 mm reading steps (one step can be the reading's
 * rounding, two cannot; a day's median of many readings resolves finer). Only a speed-up switches: a slower
 * recent rate would postpone a reminder on the strength of a few readings.
 */
export const WEAR_CHANGE = {
  minPoints: 6,
  minSpanKm: MIN_SPAN_KM,
  minRatio: 1.5,
  minDiffMmPer1000Km: 0.05,
  minExcessMm: 0.2,
} as const;

export interface WearFit {
  /** mm of tread lost per 1,000 km (positive = wearing). */
  rateMmPer1000Km: number;
  rateLow: number;
  rateHigh: number;
  intervalMethod: 'rank' | 'measurement-error';
  /** Tread projected to the current odometer. */
  currentTreadMm: number;
  /** Set when wear sped up and the fit uses only the readings since (see WEAR_CHANGE). */
  since?: { odometerKm: number; points: number; earlierRateMmPer1000Km: number };
}

export interface WheelWear {
  points: number;
  spanKm: number;
  latestTreadMm: number;
  latestTs: Date;
  latestOdometerKm: number | null;
  fit: WearFit | null;
  /** Why there is no fit, when there is none. */
  noFitReason?: string;
}

export interface KmToLimit {
  expectedKm: number;
  earliestKm: number;
  latestKm: number;
}

/** Latest value of the last day measured (an inspection that day beats the device's estimate). */
function latestObservation(obs: readonly TreadObservation[]): TreadObservation {
  const last = obs[obs.length - 1];
  const sameDay = obs.filter((o) => o.ts.toISOString().slice(0, 10) === last.ts.toISOString().slice(0, 10));
  return sameDay.find((o) => o.source === 'INSPECTION') ?? last;
}

export function analyzeWheelWear(obs: readonly TreadObservation[], currentOdometerKm: number | undefined): WheelWear | undefined {
  if (obs.length === 0) return undefined;
  const latest = latestObservation(obs);
  const base = {
    latestTreadMm: latest.treadMm,
    latestTs: latest.ts,
    latestOdometerKm: latest.odometerKm,
  };
  const pts: XY[] = obs.filter((o) => o.odometerKm !== null).map((o) => ({ x: o.odometerKm ?? 0, y: o.treadMm }));
  const xs = pts.map((p) => p.x);
  const spanKm = pts.length > 0 ? Math.max(...xs) - Math.min(...xs) : 0;
  const none = (reason: string): WheelWear => ({ ...base, points: pts.length, spanKm, fit: null, noFitReason: reason });
  if (pts.length < 2) return none(`${pts.length} tread reading(s) with an odometer value, need 2`);
  if (spanKm < MIN_SPAN_KM) return none(`tread readings span ${Math.round(spanKm)} km, need ${MIN_SPAN_KM}`);

  const ts = theilSen(pts, WEAR_INTERVAL_LEVEL);
  const rate = -ts.slope * 1000;
  if (rate > MAX_PLAUSIBLE_RATE_MM_PER_1000KM) {
    return none(`readings imply ${rate.toFixed(2)} mm/1000 km, not plausible wear`);
  }
  const atKm = currentOdometerKm ?? Math.max(...xs);
  const whole = wearFit(ts, pts, latest.treadMm, atKm);
  return { ...base, points: pts.length, spanKm, fit: wearSpeedUp(pts, whole, latest.treadMm, atKm) ?? whole };
}

function wearFit(ts: TheilSenFit, pts: readonly XY[], latestTreadMm: number, atKm: number): WearFit {
  const rate = -ts.slope * 1000;
  let low: number;
  let high: number;
  let method: WearFit['intervalMethod'];
  if (ts.slopeCi !== null) {
    // slope is negative for wear: the high slope bound is the low wear bound.
    low = -ts.slopeCi.high * 1000;
    high = -ts.slopeCi.low * 1000;
    method = 'rank';
  } else {
    // Too few points for a rank interval: use what the gauge's precision allows, never narrower than the
    // spread of the pairwise slopes.
    const xs = pts.map((p) => p.x);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sxx = xs.reduce((a, x) => a + (x - mx) * (x - mx), 0);
    const half = normalQuantile(1 - (1 - WEAR_INTERVAL_LEVEL) / 2) * (MEASUREMENT_SD_MM / Math.sqrt(sxx)) * 1000;
    low = Math.min(rate - half, -ts.slopeRange.high * 1000);
    high = Math.max(rate + half, -ts.slopeRange.low * 1000);
    method = 'measurement-error';
  }
  // Never project tread upwards: a non-wearing fit keeps the latest measured value.
  const projected = ts.intercept + ts.slope * atKm;
  const currentTreadMm = rate > 0 ? Math.min(projected, latestTreadMm) : latestTreadMm;
  return { rateMmPer1000Km: rate, rateLow: low, rateHigh: high, intervalMethod: method, currentTreadMm };
}

/**
 * The fit on the readings since wear sped up, or undefined when it did not plainly (WEAR_CHANGE). The
 * change point is where two least-squares lines fit best (O(n) with running sums); the Theil-Sen fits of
 * both sides are computed only when the least-squares slopes already show a speed-up.
 */
function wearSpeedUp(points: readonly XY[], whole: WearFit, latestTreadMm: number, atKm: number): WearFit | undefined {
  const c = WEAR_CHANGE;
  const n = points.length;
  if (n < 2 * c.minPoints) return undefined;
  const pts = [...points].sort((a, b) => a.x - b.x);
  const split = bestTwoLineSplit(pts, c.minPoints);
  if (split === undefined) return undefined;
  const [earlier, recent] = [pts.slice(0, split.at), pts.slice(split.at)];
  const spanOf = (seg: readonly XY[]): number => seg[seg.length - 1].x - seg[0].x;
  const recentSpan = spanOf(recent);
  if (spanOf(earlier) < c.minSpanKm || recentSpan < c.minSpanKm) return undefined;
  const plain = (earlierRate: number, recentRate: number): boolean =>
    recentRate - earlierRate >= c.minDiffMmPer1000Km &&
    recentRate >= c.minRatio * Math.max(earlierRate, 0) &&
    ((recentRate - earlierRate) * recentSpan) / 1000 >= c.minExcessMm;
  if (!plain(-split.earlierSlope * 1000, -split.recentSlope * 1000)) return undefined;
  const before = wearFit(theilSen(earlier, WEAR_INTERVAL_LEVEL), earlier, latestTreadMm, atKm);
  const after = wearFit(theilSen(recent, WEAR_INTERVAL_LEVEL), recent, latestTreadMm, atKm);
  if (!plain(before.rateMmPer1000Km, after.rateMmPer1000Km) || after.rateLow <= before.rateHigh) return undefined;
  if (after.rateMmPer1000Km > MAX_PLAUSIBLE_RATE_MM_PER_1000KM || after.rateMmPer1000Km <= whole.rateMmPer1000Km) return undefined;
  return { ...after, since: { odometerKm: recent[0].x, points: recent.length, earlierRateMmPer1000Km: before.rateMmPer1000Km } };
}

/** Remaining km until the tread reaches `limitMm` (0 when already there), capped at MAX_FORECAST_KM. */
export function kmToTreadLimit(fit: WearFit, limitMm: number): KmToLimit {
  const margin = Math.max(0, fit.currentTreadMm - limitMm);
  const km = (ratePer1000: number): number =>
    ratePer1000 > 0 ? Math.min(MAX_FORECAST_KM, (margin / ratePer1000) * 1000) : margin === 0 ? 0 : MAX_FORECAST_KM;
  return { expectedKm: km(fit.rateMmPer1000Km), earliestKm: km(fit.rateHigh), latestKm: km(fit.rateLow) };
}
