// Test data: odometer series shaped like a real dongle's (samples only while the ignition is on).
import type { TelemetryPoint } from '../maintenance-model.js';

export const DAY_MS = 86_400_000;

export interface DrivingOptions {
  /** First midnight (UTC) of the series. */
  start?: Date;
  days?: number;
  startKm?: number;
  /** Distance per day; a function lets a test vary it (weekends, trips). */
  kmPerDay?: number | ((dayIndex: number) => number);
  /** Samples per drive; one drive per day starting at 08:00 UTC, one sample per minute. */
  samplesPerDrive?: number;
}

export function drivingSamples(options: DrivingOptions = {}): TelemetryPoint[] {
  const start = (options.start ?? new Date('2026-10-01T00:00:00Z')).getTime();
  const days = options.days ?? 30;
  const perDay = options.kmPerDay ?? 40;
  const n = options.samplesPerDrive ?? 10;
  let km = options.startKm ?? 50_000;
  let seq = 0;
  const out: TelemetryPoint[] = [];
  for (let d = 0; d < days; d++) {
    const dayKm = typeof perDay === 'number' ? perDay : perDay(d);
    const driveStart = start + d * DAY_MS + 8 * 3_600_000;
    // The drive lasts n minutes at whatever speed covers dayKm; the first sample is at the start odometer.
    const speedKph = n > 1 ? (dayKm / (n - 1)) * 60 : 0;
    for (let i = 0; i < n; i++) {
      out.push({
        ts: new Date(driveStart + i * 60_000),
        seq: seq++,
        odometerKm: Math.round((km + (n > 1 ? (dayKm * i) / (n - 1) : 0)) * 10) / 10,
        speedKph,
      });
    }
    km += dayKm;
  }
  return out;
}
