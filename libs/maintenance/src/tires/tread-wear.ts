// Wear rate of one tyre against distance, and the distance left to a tread limit.
import { normalQuantile } from '../stats/descriptive.js';
import { theilSen, type XY } from '../stats/robust-regression.js';
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

export interface WearFit {
  /** mm of tread lost per 1,000 km (positive = wearing). */
  rateMmPer1000Km: number;
  rateLow: number;
  rateHigh: number;
  intervalMethod: 'rank' | 'measurement-error';
  /** Tread projected to the current odometer. */
  currentTreadMm: number;
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
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sxx = xs.reduce((a, x) => a + (x - mx) * (x - mx), 0);
    const half = normalQuantile(1 - (1 - WEAR_INTERVAL_LEVEL) / 2) * (MEASUREMENT_SD_MM / Math.sqrt(sxx)) * 1000;
    low = Math.min(rate - half, -ts.slopeRange.high * 1000);
    high = Math.max(rate + half, -ts.slopeRange.low * 1000);
    method = 'measurement-error';
  }
  const atKm = currentOdometerKm ?? Math.max(...xs);
  // Never project tread upwards: a non-wearing fit keeps the latest measured value.
  const projected = ts.intercept + ts.slope * atKm;
  const currentTreadMm = rate > 0 ? Math.min(projected, latest.treadMm) : latest.treadMm;
  return {
    ...base,
    points: pts.length,
    spanKm,
    fit: { rateMmPer1000Km: rate, rateLow: low, rateHigh: high, intervalMethod: method, currentTreadMm },
  };
}

/** Remaining km until the tread reaches `limitMm` (0 when already there), capped at MAX_FORECAST_KM. */
export function kmToTreadLimit(fit: WearFit, limitMm: number): KmToLimit {
  const margin = Math.max(0, fit.currentTreadMm - limitMm);
  const km = (ratePer1000: number): number =>
    ratePer1000 > 0 ? Math.min(MAX_FORECAST_KM, (margin / ratePer1000) * 1000) : margin === 0 ? 0 : MAX_FORECAST_KM;
  return { expectedKm: km(fit.rateMmPer1000Km), earliestKm: km(fit.rateHigh), latestKm: km(fit.rateLow) };
}
