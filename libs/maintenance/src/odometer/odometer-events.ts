// A jump, reset or rollback of the odometer is a data-quality event, not distance driven: the cleaner
// starts a new segment at it, and these helpers turn the segment breaks into events that the distance
// models skip and the staff see ("odometer jumped by 100,000 km on 12 Mar").
import type { OdometerCorrection, ServiceEvent, TelemetryPoint, TireReadingPoint, VehicleHistory } from '../maintenance-model.js';
import type { OdometerCleaning } from './odometer-cleaner.js';

export interface OdometerEvent {
  kind: 'JUMP' | 'ROLLBACK';
  /** ISO time of the first reading on the new baseline. */
  at: string;
  /** Last trusted reading before the event and first one after it (as the car reported them). */
  fromKm: number;
  toKm: number;
  /** toKm - fromKm: the distance that is not counted as driven. */
  deltaKm: number;
  /** A staff member confirmed the change (e.g. instrument cluster replaced). */
  confirmed: boolean;
  confirmedBy?: string;
  confirmedAt?: string;
}

/** A correction confirms the event whose first new reading is at most this far from its effective time. */
const CONFIRMATION_MATCH_MS = 2 * 86_400_000;
/** Two detections of the same event on different runs place it at the same reading; allow for rounding. */
const SAME_EVENT_MS = 3_600_000;

/** The events at each segment break of a cleaned odometer, marked confirmed where a correction says so. */
export function detectOdometerEvents(cleaning: OdometerCleaning, corrections: readonly OdometerCorrection[]): OdometerEvent[] {
  const events: OdometerEvent[] = [];
  const pts = cleaning.points;
  for (let i = 1; i < pts.length; i++) {
    if (pts[i].segment === pts[i - 1].segment) continue;
    const deltaKm = pts[i].km - pts[i - 1].km;
    events.push(
      confirm(
        { kind: deltaKm < 0 ? 'ROLLBACK' : 'JUMP', at: pts[i].ts.toISOString(), fromKm: pts[i - 1].km, toKm: pts[i].km, deltaKm, confirmed: false },
        corrections,
      ),
    );
  }
  return events;
}

function confirm(event: OdometerEvent, corrections: readonly OdometerCorrection[]): OdometerEvent {
  const at = Date.parse(event.at);
  const match = corrections.find((c) => Math.abs(c.effectiveAt.getTime() - at) <= CONFIRMATION_MATCH_MS);
  return match === undefined ? event : { ...event, confirmed: true, confirmedBy: match.confirmedBy, confirmedAt: match.confirmedAt.toISOString() };
}

/**
 * Events already known (from the model state) plus the ones seen in this window. An event stays known
 * after its readings leave the window, so the distance across it is never counted later either.
 */
export function mergeOdometerEvents(
  known: readonly OdometerEvent[],
  detected: readonly OdometerEvent[],
  corrections: readonly OdometerCorrection[],
): { events: OdometerEvent[]; added: OdometerEvent[] } {
  const added = detected.filter((d) => !known.some((k) => Math.abs(Date.parse(k.at) - Date.parse(d.at)) <= SAME_EVENT_MS));
  const events = [...known.map((k) => (k.confirmed ? k : confirm(k, corrections))), ...added].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { events, added };
}

/**
 * The history on one continuous scale, the car's current odometer: a reading taken before an event is
 * moved by that event's delta, so the distance across the event is zero and the latest readings (what
 * the owner sees on the dashboard of the car) are unchanged.
 */
export function onCurrentScale(history: VehicleHistory, events: readonly OdometerEvent[]): VehicleHistory {
  if (events.length === 0) return history;
  const shifts = events.map((e) => ({ t: Date.parse(e.at), deltaKm: e.deltaKm }));
  const shiftAt = (ts: Date): number => {
    const t = ts.getTime();
    let sum = 0;
    for (const s of shifts) if (t < s.t) sum += s.deltaKm;
    return sum;
  };
  const sample = (s: TelemetryPoint): TelemetryPoint => (s.odometerKm === undefined ? s : { ...s, odometerKm: s.odometerKm + shiftAt(s.ts) });
  const tire = (r: TireReadingPoint): TireReadingPoint => (r.odometerKm === undefined ? r : { ...r, odometerKm: r.odometerKm + shiftAt(r.ts) });
  const service = (e: ServiceEvent): ServiceEvent => (e.odometerKm === undefined ? e : { ...e, odometerKm: e.odometerKm + shiftAt(e.performedAt) });
  return {
    ...history,
    samples: history.samples.map(sample),
    tireReadings: history.tireReadings.map(tire),
    serviceEvents: history.serviceEvents.map(service),
  };
}

const KM = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "odometer jumped by 100,000 km on 12 Mar (not confirmed)": one line a service engineer can read out. */
export function describeOdometerEvent(e: OdometerEvent): string {
  const verb = e.kind === 'JUMP' ? 'jumped' : 'rolled back';
  const who = e.confirmed ? `confirmed by ${e.confirmedBy ?? 'staff'}` : 'not confirmed: not counted as driven';
  return `odometer ${verb} by ${KM.format(Math.abs(e.deltaKm))} km on ${DAY.format(new Date(e.at))} (${KM.format(e.fromKm)} -> ${KM.format(e.toKm)} km; ${who})`;
}
