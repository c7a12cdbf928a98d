// The model sees a 30-day window, but tread is measured at inspections months apart. The state keeps a
// compact tread history (one value per wheel, source and day) and the tyre service events, so a wear
// rate can span several inspections. Merging is idempotent: re-running on the same window changes nothing.
import type { ServiceEvent, ServiceKind, TireReadingPoint, WheelPosition } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';

export const TIRE_EVENT_KINDS = ['TIRE_REPLACEMENT', 'TIRE_ROTATION', 'WHEEL_ALIGNMENT', 'PUNCTURE_REPAIR'] as const;
export type TireEventKind = (typeof TIRE_EVENT_KINDS)[number];

export interface StoredTreadReading {
  /** Where the tyre was mounted when measured. */
  position: WheelPosition;
  source: TireReadingPoint['source'];
  /** UTC day, part of the identity of the entry. */
  day: string;
  /** ISO time of the last reading that day. */
  ts: string;
  odometerKm: number | null;
  treadMm: number;
}

export interface StoredTireEvent {
  kind: TireEventKind;
  performedAt: string;
  odometerKm: number | null;
  positions: WheelPosition[];
}

export interface TireModelState {
  schemaVersion: 1;
  treadReadings: StoredTreadReading[];
  events: StoredTireEvent[];
}

const RETENTION_MS = 3 * 365 * 86_400_000;
const MAX_READINGS = 600;
/** Tread outside this is a sensor or typing error (new winter tyres are ~10 mm). */
export const TREAD_RANGE_MM = { min: 0, max: 12 } as const;

export interface MergedTireHistory {
  treadReadings: StoredTreadReading[];
  events: StoredTireEvent[];
  rejectedTreadReadings: number;
}

function isTireEvent(kind: ServiceKind): kind is TireEventKind {
  return (TIRE_EVENT_KINDS as readonly string[]).includes(kind);
}

const readingKey = (r: StoredTreadReading): string => `${r.position}|${r.source}|${r.day}`;
const eventKey = (e: StoredTireEvent): string => `${e.kind}|${e.performedAt}|${[...e.positions].sort().join(',')}`;

/**
 * Previous state + this window -> the history the model works on (and the next state).
 * `odometerFor` places readings that came without an odometer value.
 */
export function mergeTireHistory(
  previous: TireModelState | undefined,
  readings: readonly TireReadingPoint[],
  events: readonly ServiceEvent[],
  now: Date,
  odometerFor: (ts: Date) => number | undefined,
): MergedTireHistory {
  const nowMs = now.getTime();
  let rejected = 0;
  const groups = new Map<
    string,
    { position: WheelPosition; source: TireReadingPoint['source']; day: string; ts: number; treads: number[]; kms: number[] }
  >();
  for (const r of readings) {
    if (r.treadMm === undefined) continue;
    const t = r.ts.getTime();
    if (!Number.isFinite(r.treadMm) || r.treadMm <= TREAD_RANGE_MM.min || r.treadMm > TREAD_RANGE_MM.max || !(t <= nowMs)) {
      rejected++;
      continue;
    }
    const day = r.ts.toISOString().slice(0, 10);
    const key = `${r.position}|${r.source}|${day}`;
    const g = groups.get(key) ?? { position: r.position, source: r.source, day, ts: t, treads: [], kms: [] };
    g.ts = Math.max(g.ts, t);
    g.treads.push(r.treadMm);
    const km = r.odometerKm !== undefined && Number.isFinite(r.odometerKm) ? r.odometerKm : odometerFor(r.ts);
    if (km !== undefined) g.kms.push(km);
    groups.set(key, g);
  }
  const byKey = new Map<string, StoredTreadReading>();
  for (const r of previous?.treadReadings ?? []) byKey.set(readingKey(r), r);
  // The window's own data for a day wins over what an earlier run stored for it.
  for (const g of groups.values()) {
    const r: StoredTreadReading = {
      position: g.position,
      source: g.source,
      day: g.day,
      ts: new Date(g.ts).toISOString(),
      odometerKm: g.kms.length > 0 ? median(g.kms) : null,
      treadMm: median(g.treads),
    };
    byKey.set(readingKey(r), r);
  }
  const oldest = nowMs - RETENTION_MS;
  const treadReadings = [...byKey.values()]
    .filter((r) => Date.parse(r.ts) >= oldest)
    .sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts))
    .slice(-MAX_READINGS);

  const eventsByKey = new Map<string, StoredTireEvent>();
  for (const e of previous?.events ?? []) eventsByKey.set(eventKey(e), e);
  for (const e of events) {
    if (!isTireEvent(e.kind) || !(e.performedAt.getTime() <= nowMs)) continue;
    const stored: StoredTireEvent = {
      kind: e.kind,
      performedAt: e.performedAt.toISOString(),
      odometerKm: e.odometerKm ?? null,
      positions: [...(e.positions ?? [])],
    };
    eventsByKey.set(eventKey(stored), stored);
  }
  const storedEvents = [...eventsByKey.values()]
    .filter((e) => Date.parse(e.performedAt) >= oldest)
    .sort((a, b) => Date.parse(a.performedAt) - Date.parse(b.performedAt));
  return { treadReadings, events: storedEvents, rejectedTreadReadings: rejected };
}
