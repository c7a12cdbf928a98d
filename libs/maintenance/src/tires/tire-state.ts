// The model sees a 30-day window, but tread is measured at inspections months apart. The state keeps a
// compact tread history (one tuple per wheel, source and day) and the tyre service events, so a wear
// rate can span several inspections. Merging is idempotent: re-running on the same window changes nothing.
import type { ServiceEvent, ServiceKind, TireReadingPoint, WheelPosition } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import type { PressureLossMemory } from './pressure-loss.js';

export const TIRE_EVENT_KINDS = ['TIRE_REPLACEMENT', 'TIRE_ROTATION', 'WHEEL_ALIGNMENT', 'PUNCTURE_REPAIR'] as const;
export type TireEventKind = (typeof TIRE_EVENT_KINDS)[number];

/**
 * One wheel's tread on one UTC day and source, as a tuple (the state is saved and read on every score: an
 * object with ISO strings was ~125 bytes of JSON per entry and a Date.parse per compare, this is ~36):
 * [where the tyre was mounted when measured, source, ms of the last reading that day (its UTC day is part of
 * the entry's identity), median odometer km | null, median tread mm].
 */
export type StoredTreadReading = [position: WheelPosition, source: StoredSource, tsMs: number, odometerKm: number | null, treadMm: number];

/** DEVICE and INSPECTION, one letter each in the saved state. */
export type StoredSource = 'D' | 'I';
export const storedSource = (source: TireReadingPoint['source']): StoredSource => (source === 'DEVICE' ? 'D' : 'I');
export const readingSource = (source: StoredSource): TireReadingPoint['source'] => (source === 'D' ? 'DEVICE' : 'INSPECTION');

export interface StoredTireEvent {
  kind: TireEventKind;
  performedAt: string;
  odometerKm: number | null;
  positions: WheelPosition[];
}

export interface TireModelStateV2 {
  schemaVersion: 2;
  tread: StoredTreadReading[];
  events: StoredTireEvent[];
  /** Lone low pressure readings told and contradicted, per wheel (pressure-loss.ts); absent: none. */
  pressure?: PressureLossMemory;
}

/** The first saved shape (until tires-1.1.0): one object per entry with ISO strings. Read, converted, never written. */
export interface TireModelStateV1 {
  schemaVersion: 1;
  treadReadings: {
    position: WheelPosition;
    source: TireReadingPoint['source'];
    day: string;
    ts: string;
    odometerKm: number | null;
    treadMm: number;
  }[];
  events: StoredTireEvent[];
}

/** What a saved state may hold (the model writes V2): the tread history reaches back years, so an old shape is converted, not dropped. */
export type TireModelState = TireModelStateV2 | TireModelStateV1;

export function upgradeTireState(state: TireModelState): TireModelStateV2 {
  if (state.schemaVersion === 2) return state;
  return {
    schemaVersion: 2,
    tread: state.treadReadings.map((r) => [r.position, storedSource(r.source), Date.parse(r.ts), r.odometerKm, r.treadMm]),
    events: state.events,
  };
}

const RETENTION_MS = 3 * 365 * 86_400_000;
const MAX_READINGS = 600;
/** Tread outside this is a sensor or typing error (new winter tyres are ~10 mm). */
export const TREAD_RANGE_MM = { min: 0, max: 12 } as const;

export interface MergedTireHistory {
  tread: StoredTreadReading[];
  events: StoredTireEvent[];
  rejectedTreadReadings: number;
}

function isTireEvent(kind: ServiceKind): kind is TireEventKind {
  return (TIRE_EVENT_KINDS as readonly string[]).includes(kind);
}

const DAY_MS = 86_400_000;
/** position, source and UTC day: one entry each (the day of the entry's last reading). */
const readingKey = (position: WheelPosition, source: StoredSource, tsMs: number): string =>
  `${position}|${source}|${String(Math.floor(tsMs / DAY_MS))}`;
const eventKey = (e: StoredTireEvent): string => `${e.kind}|${e.performedAt}|${[...e.positions].sort().join(',')}`;

/**
 * Previous state + this window -> the history the model works on (and the next state).
 * `odometerFor` places readings that came without an odometer value.
 */
export function mergeTireHistory(
  saved: TireModelState | undefined,
  readings: readonly TireReadingPoint[],
  events: readonly ServiceEvent[],
  now: Date,
  odometerFor: (ts: Date) => number | undefined,
): MergedTireHistory {
  const nowMs = now.getTime();
  const previous = saved === undefined ? undefined : upgradeTireState(saved);
  let rejected = 0;
  const groups = new Map<string, { position: WheelPosition; source: StoredSource; ts: number; treads: number[]; kms: number[] }>();
  for (const r of readings) {
    if (r.treadMm === undefined) continue;
    const t = r.ts.getTime();
    if (!Number.isFinite(r.treadMm) || r.treadMm <= TREAD_RANGE_MM.min || r.treadMm > TREAD_RANGE_MM.max || !(t <= nowMs)) {
      rejected++;
      continue;
    }
    const source = storedSource(r.source);
    const key = readingKey(r.position, source, t);
    const g = groups.get(key) ?? { position: r.position, source, ts: t, treads: [], kms: [] };
    g.ts = Math.max(g.ts, t);
    g.treads.push(r.treadMm);
    const km = r.odometerKm !== undefined && Number.isFinite(r.odometerKm) ? r.odometerKm : odometerFor(r.ts);
    if (km !== undefined) g.kms.push(km);
    groups.set(key, g);
  }
  const byKey = new Map<string, StoredTreadReading>();
  for (const r of previous?.tread ?? []) byKey.set(readingKey(r[0], r[1], r[2]), r);
  // The window's own data for a day wins over what an earlier run stored for it.
  for (const g of groups.values()) {
    byKey.set(readingKey(g.position, g.source, g.ts), [g.position, g.source, g.ts, g.kms.length > 0 ? median(g.kms) : null, median(g.treads)]);
  }
  const oldest = nowMs - RETENTION_MS;
  const tread = [...byKey.values()]
    .filter((r) => r[2] >= oldest)
    .sort((a, b) => a[2] - b[2])
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
  return { tread, events: storedEvents, rejectedTreadReadings: rejected };
}
