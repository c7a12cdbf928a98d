// Sample hygiene and drive segmentation shared by the telemetry-driven models (cooling, fuel, battery).
// Histories arrive "ascending" but with duplicates, out-of-order points from devices that buffered
// while offline, and gaps; every model must see the same cleaned series, or they disagree on facts.
import type { ServiceEvent, ServiceKind, TelemetryPoint } from '../maintenance-model.js';

export const DAY_MS = 86_400_000;

export interface CleanSeries {
  samples: readonly TelemetryPoint[];
  /** Points with the same ts as an earlier one (kept: the first). */
  duplicates: number;
  /** Points that came before their predecessor in the input. */
  outOfOrder: number;
  /** Points with an unusable timestamp or after `now` (a device clock in the future). */
  invalid: number;
}

/** Sorted by ts (then seq), one point per ts, nothing after `now`. O(n log n) only when the input is out of order. */
export function cleanSamples(input: readonly TelemetryPoint[], now: Date): CleanSeries {
  const nowMs = now.getTime();
  let invalid = 0;
  let outOfOrder = 0;
  let equal = 0;
  let previous = -Infinity;
  for (const point of input) {
    const t = point.ts.getTime();
    if (!Number.isFinite(t) || t > nowMs) {
      invalid++;
      continue;
    }
    if (t < previous) outOfOrder++;
    else if (t === previous) equal++;
    previous = Math.max(previous, t);
  }
  // The usual case (a clean, ordered window) costs one pass and no copy.
  if (invalid === 0 && outOfOrder === 0 && equal === 0) return { samples: input, duplicates: 0, outOfOrder, invalid };
  const valid = input.filter((p) => Number.isFinite(p.ts.getTime()) && p.ts.getTime() <= nowMs);
  if (outOfOrder > 0) valid.sort((a, b) => a.ts.getTime() - b.ts.getTime() || (a.seq ?? 0) - (b.seq ?? 0));
  const samples: TelemetryPoint[] = [];
  let duplicates = 0;
  let lastTs = -Infinity;
  for (const point of valid) {
    const t = point.ts.getTime();
    if (t === lastTs) {
      duplicates++;
      continue;
    }
    lastTs = t;
    samples.push(point);
  }
  return { samples, duplicates, outOfOrder, invalid };
}

/** The last service event of one of `kinds` at or before `now`: what a model must not look behind. */
export function lastReset(events: readonly ServiceEvent[], kinds: readonly ServiceKind[], now: Date): ServiceEvent | undefined {
  let last: ServiceEvent | undefined;
  for (const event of events) {
    if (!kinds.includes(event.kind) || event.performedAt.getTime() > now.getTime()) continue;
    if (last === undefined || event.performedAt.getTime() > last.performedAt.getTime()) last = event;
  }
  return last;
}

export function samplesSince(samples: readonly TelemetryPoint[], since: Date | undefined): readonly TelemetryPoint[] {
  if (since === undefined) return samples;
  const from = since.getTime();
  return samples.filter((p) => p.ts.getTime() >= from);
}

export interface DriveSession {
  /** Engine-running points (rpm > 0, or rpm not reported), ascending, no gap longer than the split gap. */
  samples: TelemetryPoint[];
  startMs: number;
  endMs: number;
  /** Engine-off points (rpm = 0) in the 30 s before the first running point: the ignition-on, pre-crank reading. */
  preStart: TelemetryPoint[];
}

/**
 * Splits a clean series into drives: a drive ends at an explicit engine-off (rpm = 0) or a gap in
 * reporting longer than maxGapMs (devices report while the engine runs, so a long gap is a stop).
 */
export function splitDrives(samples: readonly TelemetryPoint[], maxGapMs = 5 * 60_000): DriveSession[] {
  const drives: DriveSession[] = [];
  let current: TelemetryPoint[] = [];
  let preStart: TelemetryPoint[] = [];
  let recentOff: TelemetryPoint[] = [];
  const flush = (): void => {
    if (current.length > 0) {
      drives.push({ samples: current, startMs: current[0].ts.getTime(), endMs: current[current.length - 1].ts.getTime(), preStart });
    }
    current = [];
    preStart = [];
  };
  for (const point of samples) {
    const t = point.ts.getTime();
    if (point.rpm === 0) {
      flush();
      recentOff = recentOff.filter((p) => t - p.ts.getTime() <= 30_000);
      recentOff.push(point);
      continue;
    }
    const last = current[current.length - 1];
    if (last !== undefined && t - last.ts.getTime() > maxGapMs) flush();
    if (current.length === 0) preStart = recentOff.filter((p) => t - p.ts.getTime() <= 30_000);
    current.push(point);
  }
  flush();
  return drives;
}

/** UTC day number since the epoch: days are UTC so that two runs on different servers bucket alike. */
export function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * YYYY-MM-DD of a UTC day number. Arithmetic (Hinnant's civil-from-days) rather than Date#toISOString:
 * an incremental score formats some 60 days per model, and the Date round trip was its largest cost.
 */
export function isoDay(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${String(m)}-${d < 10 ? '0' : ''}${String(d)}`;
}
