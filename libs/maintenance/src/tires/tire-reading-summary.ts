// What the tyre model keeps of device tyre readings: compact facts per wheel (tread) and per axle
// (pressure against the partner) per UTC day, folded one whole day at a time (incremental/
// tire-reading-days.ts), so a score reads only the readings of the days not folded yet. Plain JSON
// (number tuples), pruned to the 120-day window. Bound per vehicle: 121 days x (4 tread + 2 axle day
// facts) + 6 days x 24 hours x 2 axle hour facts + 4 x 5 latest pressures (MAX_TIRE_FACTS).
import type { TireReadingPoint, WheelPosition } from '../maintenance-model.js';
import { TIRE_READING_HORIZON_DAYS, type TireReadingDay } from '../incremental/index.js';
import { median } from '../stats/descriptive.js';
import { TREAD_RANGE_MM } from './tire-state.js';
import { WHEELS } from './tire-positions.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * One wheel's device tread on one day: [utcDay, minute of the day of its last reading, median tread mm,
 * median odometer km | null].
 */
export type TreadDay = [day: number, lastMinute: number, treadMm: number, odometerKm: number | null];

/** One axle's same-minute pressure pairs on one day: [utcDay, median (left - right) kPa, median left kPa, median right kPa, pairs]. */
export type PairDay = [day: number, relKpa: number, leftKpa: number, rightKpa: number, pairs: number];

/** The same per hour (hours since the epoch), kept for the axle's last PAIR_HOUR_DAYS days with pairs. */
export type PairHour = [hour: number, relKpa: number, leftKpa: number, rightKpa: number];

export interface AxleFacts {
  days: PairDay[];
  hours: PairHour[];
}

export type Axle = 'front' | 'rear';
export const AXLE_WHEELS: Record<Axle, { left: WheelPosition; right: WheelPosition }> = {
  front: { left: 'FL', right: 'FR' },
  rear: { left: 'RL', right: 'RR' },
};

export interface TireReadingFacts {
  /** End (exclusive, ms) of the last UTC day folded: the worker reads device readings from here on. */
  untilMs: number | null;
  tread: Record<WheelPosition, TreadDay[]>;
  /** Device tread readings outside the plausible range, per day: [utcDay, count]. */
  rejected: [day: number, count: number][];
  axles: Record<Axle, AxleFacts>;
  /** Each wheel's last LATEST_MINUTES per-minute pressure medians: [minute, kPa]. */
  latest: Record<WheelPosition, [minute: number, kpa: number][]>;
}

/**
 * A pressure trend over at most five days is fitted on hourly points (as before the summaries);
 * six calendar days cover any five-day span. Longer spans are fitted on daily points.
 */
export const PAIR_HOUR_DAYS = 6;
/** "Latest pressure": the median of a wheel's last few minutes smooths a single odd reading out. */
export const LATEST_MINUTES = 5;
export const MAX_TIRE_FACTS = {
  treadDays: TIRE_READING_HORIZON_DAYS + 1,
  pairDays: TIRE_READING_HORIZON_DAYS + 1,
  pairHours: PAIR_HOUR_DAYS * 24,
  latest: LATEST_MINUTES,
} as const;

export function emptyTireReadingFacts(): TireReadingFacts {
  return {
    untilMs: null,
    tread: { FL: [], FR: [], RL: [], RR: [] },
    rejected: [],
    axles: { front: { days: [], hours: [] }, rear: { days: [], hours: [] } },
    latest: { FL: [], FR: [], RL: [], RR: [] },
  };
}

// Stored values are rounded well below what a sensor resolves (TPMS ~1 kPa, tread 0.1 mm): the JSON stays
// short, and both scoring paths round alike.
const kpa1 = (kpa: number): number => Math.round(kpa * 10) / 10;
const mm2 = (mm: number): number => Math.round(mm * 100) / 100;
const km1 = (km: number): number => Math.round(km * 10) / 10;

const validPressure = (kpa: number | undefined): kpa is number => kpa !== undefined && Number.isFinite(kpa) && kpa > 0 && kpa <= 600;

interface MinuteSeries {
  minutes: number[];
  kpa: number[];
}

/** A wheel's pressure on the day, one median per minute, ascending (the day's readings are ascending). */
function byMinute(readings: readonly TireReadingPoint[], w: WheelPosition): MinuteSeries {
  const minutes: number[] = [];
  const values: number[][] = [];
  for (const r of readings) {
    if (r.position !== w || !validPressure(r.pressureKpa)) continue;
    const minute = Math.floor(r.ts.getTime() / MINUTE_MS);
    if (minutes.length > 0 && minutes[minutes.length - 1] === minute) values[values.length - 1].push(r.pressureKpa);
    else {
      minutes.push(minute);
      values.push([r.pressureKpa]);
    }
  }
  return { minutes, kpa: values.map((v) => (v.length === 1 ? v[0] : median(v))) };
}

/** Folds one whole UTC day of device readings; O(day) plus a bounded trim of the hour facts. */
export function foldTireReadingDay(facts: TireReadingFacts, day: TireReadingDay): TireReadingFacts {
  const dayIndex = Math.floor(day.startMs / DAY_MS);
  foldTread(facts, dayIndex, day.readings);
  const series = {} as Record<WheelPosition, MinuteSeries>;
  for (const w of WHEELS) {
    series[w] = byMinute(day.readings, w);
    const latest = facts.latest[w];
    const s = series[w];
    for (let i = Math.max(0, s.minutes.length - LATEST_MINUTES); i < s.minutes.length; i++) latest.push([s.minutes[i], kpa1(s.kpa[i])]);
    if (latest.length > LATEST_MINUTES) latest.splice(0, latest.length - LATEST_MINUTES);
  }
  for (const axle of ['front', 'rear'] as const)
    foldPairs(facts.axles[axle], dayIndex, series[AXLE_WHEELS[axle].left], series[AXLE_WHEELS[axle].right]);
  facts.untilMs = day.startMs + DAY_MS;
  return facts;
}

function foldTread(facts: TireReadingFacts, dayIndex: number, readings: readonly TireReadingPoint[]): void {
  let rejected = 0;
  for (const w of WHEELS) {
    const treads: number[] = [];
    const kms: number[] = [];
    let lastMs = -Infinity;
    for (const r of readings) {
      if (r.position !== w || r.treadMm === undefined) continue;
      if (!Number.isFinite(r.treadMm) || r.treadMm <= TREAD_RANGE_MM.min || r.treadMm > TREAD_RANGE_MM.max) {
        rejected++;
        continue;
      }
      treads.push(r.treadMm);
      lastMs = Math.max(lastMs, r.ts.getTime());
      if (r.odometerKm !== undefined && Number.isFinite(r.odometerKm)) kms.push(r.odometerKm);
    }
    // A reading without an odometer value is placed on the telemetry odometer when deciding (its day's last ts).
    if (treads.length > 0) {
      facts.tread[w].push([
        dayIndex,
        Math.floor((lastMs - dayIndex * DAY_MS) / MINUTE_MS),
        mm2(median(treads)),
        kms.length > 0 ? km1(median(kms)) : null,
      ]);
    }
  }
  if (rejected > 0) facts.rejected.push([dayIndex, rejected]);
}

function foldPairs(axle: AxleFacts, dayIndex: number, left: MinuteSeries, right: MinuteSeries): void {
  const minutes: number[] = [];
  const rel: number[] = [];
  const own: [number[], number[]] = [[], []];
  for (let i = 0, j = 0; i < left.minutes.length && j < right.minutes.length;) {
    if (left.minutes[i] < right.minutes[j]) i++;
    else if (left.minutes[i] > right.minutes[j]) j++;
    else {
      minutes.push(left.minutes[i]);
      rel.push(left.kpa[i] - right.kpa[j]);
      own[0].push(left.kpa[i]);
      own[1].push(right.kpa[j]);
      i++;
      j++;
    }
  }
  const n = minutes.length;
  if (n === 0) return;
  axle.days.push([dayIndex, kpa1(median(rel)), kpa1(median(own[0])), kpa1(median(own[1])), n]);
  // Pairs are ascending, so each hour is a contiguous run.
  for (let i = 0; i < n;) {
    const hour = Math.floor(minutes[i] / 60);
    let j = i + 1;
    while (j < n && Math.floor(minutes[j] / 60) === hour) j++;
    axle.hours.push([hour, kpa1(median(rel.slice(i, j))), kpa1(median(own[0].slice(i, j))), kpa1(median(own[1].slice(i, j)))]);
    i = j;
  }
  // Hours are kept for the axle's newest days with pairs: what depends on the folded data alone, so the
  // full path and the incremental one keep the same hours.
  const fromHour = (dayIndex - PAIR_HOUR_DAYS + 1) * 24;
  let drop = 0;
  while (drop < axle.hours.length && axle.hours[drop][0] < fromHour) drop++;
  if (drop > 0) axle.hours.splice(0, drop);
}

/** Drops the days before `horizonMs` (whole days: they were folded whole). */
export function pruneTireReadingFacts(facts: TireReadingFacts, horizonMs: number): TireReadingFacts {
  const fromDay = Math.floor(horizonMs / DAY_MS);
  // Every fact starts with its day, hour or minute: rows are ascending by it.
  const keep = <T extends readonly [number, ...unknown[]]>(rows: T[], from: number): T[] => {
    let drop = 0;
    while (drop < rows.length && rows[drop][0] < from) drop++;
    return drop === 0 ? rows : rows.slice(drop);
  };
  for (const w of WHEELS) {
    facts.tread[w] = keep(facts.tread[w], fromDay);
    facts.latest[w] = keep(facts.latest[w], (fromDay * DAY_MS) / MINUTE_MS);
  }
  facts.rejected = keep(facts.rejected, fromDay);
  for (const axle of Object.values(facts.axles)) {
    axle.days = keep(axle.days, fromDay);
    axle.hours = keep(axle.hours, (fromDay * DAY_MS) / HOUR_MS);
  }
  return facts;
}

/** The folded device tread as one reading per wheel and day (what the tread history merges). */
export function deviceTreadReadings(facts: TireReadingFacts, kmShiftAt: (t: number) => number): TireReadingPoint[] {
  return WHEELS.flatMap((w) =>
    facts.tread[w].map(([day, lastMinute, treadMm, km]) => {
      const lastMs = day * DAY_MS + lastMinute * MINUTE_MS;
      return {
        position: w,
        ts: new Date(lastMs),
        treadMm,
        ...(km !== null ? { odometerKm: km + kmShiftAt(lastMs) } : {}),
        source: 'DEVICE' as const,
      };
    }),
  );
}

export function rejectedDeviceTread(facts: TireReadingFacts): number {
  return facts.rejected.reduce((sum, [, count]) => sum + count, 0);
}
