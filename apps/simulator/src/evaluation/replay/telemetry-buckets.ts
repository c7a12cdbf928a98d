import type { TelemetryPoint, TireReadingPoint, WheelPosition } from '#app/maintenance';
import type { TelemetrySample } from '#app/telemetry';

/** The worker's telemetry resolution (apps/worker vehicle-history.loader: HISTORY_WINDOWS). */
export const BUCKET_MS = 30_000;
const HOUR_MS = 3_600_000;
const WHEELS: readonly WheelPosition[] = ['FL', 'FR', 'RL', 'RR'];

type Averaged = 'speedKph' | 'rpm' | 'coolantTempC' | 'fuelRateLph' | 'engineLoadPct' | 'intakeTempC' | 'ambientTempC';
const AVERAGED: readonly Averaged[] = ['speedKph', 'rpm', 'coolantTempC', 'fuelRateLph', 'engineLoadPct', 'intakeTempC', 'ambientTempC'];

/**
 * Samples -> 30-second points exactly as the worker's SQL aggregates them: averages, except max odometer,
 * min battery (a cranking dip must survive) and the union of DTCs. Input must be ascending by ts.
 */
export function bucketTelemetry(samples: readonly TelemetrySample[]): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  let group: TelemetrySample[] = [];
  let groupBucket = NaN;
  const flush = () => {
    if (group.length > 0) points.push(aggregate(groupBucket, group));
    group = [];
  };
  for (const sample of samples) {
    const bucket = Math.floor(sample.ts.getTime() / BUCKET_MS) * BUCKET_MS;
    if (bucket !== groupBucket) {
      flush();
      groupBucket = bucket;
    }
    group.push(sample);
  }
  flush();
  return points;
}

function aggregate(bucketMs: number, group: readonly TelemetrySample[]): TelemetryPoint {
  const point: TelemetryPoint = { ts: new Date(bucketMs) };
  for (const field of AVERAGED) {
    let sum = 0;
    let n = 0;
    for (const s of group) {
      const v = s[field];
      if (v !== undefined) {
        sum += v;
        n++;
      }
    }
    if (n > 0) point[field] = sum / n;
  }
  let odometer: number | undefined;
  let battery: number | undefined;
  let estimated = false;
  const dtcs = new Set<string>();
  for (const s of group) {
    if (s.odometerKm !== undefined) odometer = Math.max(odometer ?? -Infinity, s.odometerKm);
    if (s.batteryV !== undefined) battery = Math.min(battery ?? Infinity, s.batteryV);
    if (s.fuelRateEstimated) estimated = true;
    for (const code of s.dtcs ?? []) dtcs.add(code);
  }
  if (odometer !== undefined) point.odometerKm = odometer;
  if (battery !== undefined) point.batteryV = battery;
  if (point.fuelRateLph !== undefined && estimated) point.fuelRateEstimated = true;
  if (dtcs.size > 0) point.dtcs = [...dtcs];
  return point;
}

/** Device tyre readings -> hourly medians per wheel with the hour's highest odometer, as the worker reads them. */
export function hourlyTireReadings(samples: readonly TelemetrySample[]): TireReadingPoint[] {
  const byHour = new Map<string, { position: WheelPosition; hourMs: number; odometer: number | undefined; tread: number[]; pressure: number[] }>();
  for (const s of samples) {
    if (!s.tires) continue;
    const hourMs = Math.floor(s.ts.getTime() / HOUR_MS) * HOUR_MS;
    for (const position of WHEELS) {
      const m = s.tires[position];
      if (!m) continue;
      const key = `${position}:${hourMs}`;
      let entry = byHour.get(key);
      if (!entry) byHour.set(key, (entry = { position, hourMs, odometer: undefined, tread: [], pressure: [] }));
      if (s.odometerKm !== undefined) entry.odometer = Math.max(entry.odometer ?? -Infinity, s.odometerKm);
      if (m.treadMm !== undefined) entry.tread.push(m.treadMm);
      if (m.pressureKpa !== undefined) entry.pressure.push(m.pressureKpa);
    }
  }
  return [...byHour.values()]
    .sort((a, b) => a.hourMs - b.hourMs || WHEELS.indexOf(a.position) - WHEELS.indexOf(b.position))
    .map((e) => ({
      position: e.position,
      ts: new Date(e.hourMs),
      ...(e.odometer !== undefined ? { odometerKm: e.odometer } : {}),
      ...(e.tread.length > 0 ? { treadMm: continuousMedian(e.tread) } : {}),
      ...(e.pressure.length > 0 ? { pressureKpa: continuousMedian(e.pressure) } : {}),
      source: 'DEVICE' as const,
    }));
}

/** percentile_cont(0.5): the mean of the two middle values for an even count. */
export function continuousMedian(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];
}
