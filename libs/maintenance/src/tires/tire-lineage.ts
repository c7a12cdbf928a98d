// Tread readings belong to a tyre, not to a position: a rotation moves a tyre's history to its new
// wheel, a replacement ends it. Each reading is carried forward through the events after it.
import type { ServiceEvent, TireReadingPoint, WheelPosition } from '../maintenance-model.js';
import { eventCovers, rotatedPosition, WHEELS } from './tire-positions.js';
import { readingSource, type StoredTireEvent, type StoredTreadReading } from './tire-state.js';

export interface TreadObservation {
  ts: Date;
  odometerKm: number | null;
  treadMm: number;
  source: TireReadingPoint['source'];
  /** Where the tyre was when measured (differs from the current wheel after a rotation). */
  measuredAt: WheelPosition;
}

export interface TireLineage {
  /** Observations of the tyre now mounted at each wheel, oldest first. */
  byWheel: Record<WheelPosition, TreadObservation[]>;
  /** Wheels whose tread rose by more than UNDOCUMENTED_REPLACEMENT_MM: a new tyre nobody recorded. */
  undocumentedReplacements: WheelPosition[];
}

/** A rise this large cannot be measurement noise: the tyre was changed. */
export const UNDOCUMENTED_REPLACEMENT_MM = 2.0;

export function toServiceEvent(e: StoredTireEvent): ServiceEvent {
  return {
    kind: e.kind,
    performedAt: new Date(e.performedAt),
    odometerKm: e.odometerKm ?? undefined,
    positions: e.positions,
  };
}

export function traceTires(readings: readonly StoredTreadReading[], storedEvents: readonly StoredTireEvent[]): TireLineage {
  const events = storedEvents.map(toServiceEvent).sort((a, b) => a.performedAt.getTime() - b.performedAt.getTime());
  const byWheel: Record<WheelPosition, TreadObservation[]> = { FL: [], FR: [], RL: [], RR: [] };
  for (const [measuredAt, source, tsMs, odometerKm, treadMm] of readings) {
    const ts = new Date(tsMs);
    let position: WheelPosition | undefined = measuredAt;
    for (const e of events) {
      if (position === undefined) break;
      if (e.performedAt.getTime() <= ts.getTime()) continue;
      if (e.kind === 'TIRE_ROTATION') position = rotatedPosition(position, e);
      else if (e.kind === 'TIRE_REPLACEMENT' && eventCovers(e, position)) position = undefined;
    }
    if (position !== undefined) {
      byWheel[position].push({ ts, odometerKm, treadMm, source: readingSource(source), measuredAt });
    }
  }
  const undocumentedReplacements: WheelPosition[] = [];
  for (const w of WHEELS) {
    const obs = byWheel[w].sort((a, b) => a.ts.getTime() - b.ts.getTime());
    let start = 0;
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < obs.length; i++) {
      if (obs[i].treadMm > lowest + UNDOCUMENTED_REPLACEMENT_MM) {
        start = i;
        lowest = obs[i].treadMm;
        continue;
      }
      lowest = Math.min(lowest, obs[i].treadMm);
    }
    if (start > 0) undocumentedReplacements.push(w);
    byWheel[w] = obs.slice(start);
  }
  return { byWheel, undocumentedReplacements };
}
