// The unit of incremental scoring: a segment is a stretch of reporting that nothing outside it can
// change. Cuts are made where no model looks across: at a silence longer than SEGMENT_GAP_MS (it ends a
// drive: splitDrives cuts at the same gap) and between two engine-off readings more than
// PRE_START_WINDOW_MS apart (a parked car reporting every few minutes: the drive before has ended at the
// first of them, and the 30-second pre-start window of the next drive cannot reach back to it). So one
// segment is one drive with its ignition-on and engine-off readings, or one parked reading.
import type { TelemetryPoint } from '../maintenance-model.js';

/** The silence that ends a segment: the same gap that ends a drive (splitDrives). */
export const SEGMENT_GAP_MS = 5 * 60_000;

/**
 * How late a sample may arrive (received minus measured) and still be folded as if on time. A segment
 * counts as closed only after SEGMENT_GAP_MS + LATE_ARRIVAL_MS of silence, so a sample that could still
 * extend a closed segment necessarily arrived later than this: ingestion records such samples
 * (vehicles.lateSampleTs) and the scorer rebuilds the summaries they fall into.
 */
export const LATE_ARRIVAL_MS = 5 * 60_000;

/** How far back the telemetry summaries reach: the window the models decide from. */
export const SUMMARY_HORIZON_DAYS = 30;

export interface TelemetrySegment {
  /** Ascending, one point per ts, no gap longer than SEGMENT_GAP_MS. */
  samples: readonly TelemetryPoint[];
  startMs: number;
  endMs: number;
}

/** The ignition-on readings a drive keeps as its pre-start (splitDrives): never cut inside it. */
export const PRE_START_WINDOW_MS = 30_000;

/** Cuts a clean, ascending series where no model looks across (see the top of this file). */
export function splitSegments(samples: readonly TelemetryPoint[]): TelemetrySegment[] {
  const segments: TelemetrySegment[] = [];
  let from = 0;
  for (let i = 1; i <= samples.length; i++) {
    const gap = i < samples.length ? samples[i].ts.getTime() - samples[i - 1].ts.getTime() : Infinity;
    const parked = i < samples.length && samples[i].rpm === 0 && samples[i - 1].rpm === 0 && gap > PRE_START_WINDOW_MS;
    if (gap > SEGMENT_GAP_MS || parked) {
      const part = samples.slice(from, i);
      if (part.length > 0) segments.push({ samples: part, startMs: part[0].ts.getTime(), endMs: part[part.length - 1].ts.getTime() });
      from = i;
    }
  }
  return segments;
}

/** A segment no on-time sample can extend any more: its silence has lasted past the late-arrival margin. */
export function isClosedSegment(segment: TelemetrySegment, now: Date): boolean {
  return segment.endMs < now.getTime() - SEGMENT_GAP_MS - LATE_ARRIVAL_MS;
}

/**
 * The first ms of the oldest UTC day the summaries keep at `now`. Segments that started before it are
 * not folded; a full read starts READ_BEFORE_HORIZON_MS earlier so that it sees where they started.
 */
export function summaryHorizonMs(now: Date): number {
  const day = Math.floor(now.getTime() / 86_400_000) - SUMMARY_HORIZON_DAYS;
  return day * 86_400_000;
}

/** A segment is at most one long stretch of reporting; reading this far before the horizon finds its start. */
export const READ_BEFORE_HORIZON_MS = 86_400_000;
