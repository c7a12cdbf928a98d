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

export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
