// How far this vehicle drives per day, from its own cleaned odometer. Distance-based items (oil, tires)
// are turned into dates with it, so it has to be robust to a one-off road trip and to weekend-only use.
import { median, quantileSorted, sortedCopy } from '../stats/descriptive.js';
import { DAY_MS } from '../common/telemetry-sessions.js';
import type { OdometerCleaning, OdometerPoint } from './odometer-cleaner.js';

export interface DailyDistance {
  kind: 'estimate';
  /** Whole UTC days covered by odometer data (days inside a gap share its distance evenly). */
  fullDays: number;
  totalKm: number;
  medianDailyKm: number;
  p10DailyKm: number;
  p90DailyKm: number;
  /**
   * Typical rate for forecasts: the median of 7-day rolling means. A median of single days is 0 for a car
   * driven only at weekends, and a plain mean follows one long trip; weekly means avoid both.
   */
  kmPerDay: number;
  /** Lower and upper quantiles of the 7-day rolling means, at `level` central coverage. */
  kmPerDayLow: number;
  kmPerDayHigh: number;
  level: number;
}

export interface InsufficientDailyDistance {
  kind: 'insufficient-data';
  reason: string;
  fullDays: number;
}

export interface DailyDistanceOptions {
  /** Fewer whole days than this give no estimate (a week covers the weekday/weekend pattern). */
  minFullDays?: number;
  /** Central coverage of the rate interval. */
  level?: number;
}

const WINDOW_DAYS = 7;

export function estimateDailyDistance(cleaning: OdometerCleaning, options: DailyDistanceOptions = {}): DailyDistance | InsufficientDailyDistance {
  return estimateFromDailyKm(dailyKm(cleaning.points), options);
}

/** The estimate from the kilometres of each whole day (dailyKm), e.g. as an odometer track keeps them. */
export function estimateFromDailyKm(daily: readonly number[], options: DailyDistanceOptions = {}): DailyDistance | InsufficientDailyDistance {
  const minFullDays = options.minFullDays ?? WINDOW_DAYS;
  const level = options.level ?? 0.8;
  if (daily.length < Math.max(minFullDays, 1)) {
    return {
      kind: 'insufficient-data',
      reason: `odometer covers ${daily.length} whole day(s), need ${minFullDays}`,
      fullDays: daily.length,
    };
  }
  const sortedDaily = sortedCopy(daily);
  const window = Math.min(WINDOW_DAYS, daily.length);
  const rolling: number[] = [];
  let sum = 0;
  for (let i = 0; i < daily.length; i++) {
    sum += daily[i];
    if (i >= window) sum -= daily[i - window];
    if (i >= window - 1) rolling.push(sum / window);
  }
  const sortedRolling = sortedCopy(rolling);
  const tail = (1 - level) / 2;
  return {
    kind: 'estimate',
    fullDays: daily.length,
    totalKm: daily.reduce((a, b) => a + b, 0),
    medianDailyKm: quantileSorted(sortedDaily, 0.5),
    p10DailyKm: quantileSorted(sortedDaily, 0.1),
    p90DailyKm: quantileSorted(sortedDaily, 0.9),
    kmPerDay: median(rolling),
    kmPerDayLow: quantileSorted(sortedRolling, tail),
    kmPerDayHigh: quantileSorted(sortedRolling, 1 - tail),
    level,
  };
}

/**
 * Kilometres driven on each whole UTC day inside each segment, by linear interpolation of the odometer at
 * midnights. Days cut by a segment boundary are left out (their distance is unknown).
 */
export function dailyKm(points: readonly OdometerPoint[]): number[] {
  const out: number[] = [];
  let start = 0;
  while (start < points.length) {
    let end = start;
    while (end + 1 < points.length && points[end + 1].segment === points[start].segment) end++;
    segmentDays(points, start, end, out);
    start = end + 1;
  }
  return out;
}

function segmentDays(points: readonly OdometerPoint[], from: number, to: number, out: number[]): void {
  const firstT = points[from].ts.getTime();
  const lastT = points[to].ts.getTime();
  let midnight = Math.ceil(firstT / DAY_MS) * DAY_MS;
  let i = from;
  const kmAt = (t: number): number => {
    while (i < to && points[i + 1].ts.getTime() < t) i++;
    const a = points[i];
    const b = points[Math.min(i + 1, to)];
    const ta = a.ts.getTime();
    const tb = b.ts.getTime();
    if (tb <= ta) return a.km;
    return a.km + ((b.km - a.km) * (t - ta)) / (tb - ta);
  };
  let prevKm = midnight <= lastT ? kmAt(midnight) : 0;
  while (midnight + DAY_MS <= lastT) {
    midnight += DAY_MS;
    const km = kmAt(midnight);
    out.push(km - prevKm);
    prevKm = km;
  }
}

export interface DriveForecast {
  /** Days to drive `km` at the typical rate, and at the high and low rates (earliest, latest). */
  expectedDays: number;
  earliestDays: number;
  latestDays: number;
  /** True when a rate is so low that a bound hit the horizon cap. */
  capped: boolean;
}

/** Beyond ten years a distance forecast means "not by distance": time-based limits take over. */
export const FORECAST_HORIZON_DAYS = 3650;

export function forecastDaysToDrive(km: number, rate: DailyDistance): DriveForecast {
  const remaining = Math.max(0, km);
  const days = (kmPerDay: number): number =>
    kmPerDay > 0 ? Math.min(FORECAST_HORIZON_DAYS, remaining / kmPerDay) : remaining === 0 ? 0 : FORECAST_HORIZON_DAYS;
  const expectedDays = days(rate.kmPerDay);
  const earliestDays = days(rate.kmPerDayHigh);
  const latestDays = days(rate.kmPerDayLow);
  return { expectedDays, earliestDays, latestDays, capped: latestDays >= FORECAST_HORIZON_DAYS && remaining > 0 };
}
