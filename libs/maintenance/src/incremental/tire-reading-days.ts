// The second input a model may fold: device tyre readings (the worker reads them as hourly medians per
// wheel), one closed UTC day at a time. A day is the unit because what the tyre model keeps is per day
// (a wheel's tread median, an axle's pressure difference): folding a whole day at once keeps every
// median exact, and the full path folds the very same days. The model keeps its own watermark (the end
// of the last day folded) in its summary, so the worker reads only the readings after it.
import type { TireReadingPoint } from '../maintenance-model.js';
import { LATE_ARRIVAL_MS } from './telemetry-segments.js';

const DAY_MS = 86_400_000;

/** How far back device tyre readings reach (the worker's window): leaks and wear build over months. */
export const TIRE_READING_HORIZON_DAYS = 120;

/**
 * A day's readings are folded for good one whole day after it ended: a dongle that was out of reach for
 * hours uploads its buffer late, and such a reading lands in a day still open instead of forcing a
 * rebuild. A reading later than this falls into a folded day: its sample is marked late
 * (vehicles.lateSampleTs, the readings come with their samples) and the scorer rebuilds.
 */
export const TIRE_DAY_CLOSE_AFTER_MS = DAY_MS;

/** The first ms of the oldest UTC day of device tyre readings the summaries keep at `now`. */
export function tireReadingHorizonMs(now: Date): number {
  return (Math.floor(now.getTime() / DAY_MS) - TIRE_READING_HORIZON_DAYS) * DAY_MS;
}

export interface TireReadingDay {
  /** First ms of the UTC day. */
  startMs: number;
  /** The day's device readings, ascending by ts (stable for equal ts). */
  readings: readonly TireReadingPoint[];
}

/** A model that folds device tyre readings besides telemetry segments. */
export interface TireReadingFold<Summary> {
  /** The end (exclusive, ms) of the last day folded into `summary`; null when none. */
  foldedUntilMs(summary: Summary): number | null;
  /** Folds one whole UTC day (days come in ascending order, each once) and moves the watermark past it. */
  foldDay(summary: Summary, day: TireReadingDay): Summary;
  /** Drops days before `horizonMs` (tireReadingHorizonMs(now)). */
  pruneDays(summary: Summary, horizonMs: number): Summary;
}

/** Whether no reading that arrives on time can still fall into this day. */
export function isClosedTireDay(dayStartMs: number, now: Date): boolean {
  return dayStartMs + DAY_MS + TIRE_DAY_CLOSE_AFTER_MS + LATE_ARRIVAL_MS <= now.getTime();
}

/**
 * The first ms of the oldest UTC day whose device readings are not folded yet at `now` (isClosedTireDay): yesterday,
 * or the day before in the first LATE_ARRIVAL_MS after midnight.
 */
export function oldestOpenTireDayMs(now: Date): number {
  let day = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  while (!isClosedTireDay(day - DAY_MS, now)) day -= DAY_MS;
  return day;
}

/** Device readings in [fromMs, now], grouped by UTC day, ascending. Inspections are not folded: they are few and read whole. */
export function deviceReadingDays(readings: readonly TireReadingPoint[], fromMs: number, now: Date): TireReadingDay[] {
  const nowMs = now.getTime();
  const byDay = new Map<number, TireReadingPoint[]>();
  for (const r of readings) {
    if (r.source !== 'DEVICE') continue;
    const t = r.ts.getTime();
    if (!(t >= fromMs && t <= nowMs)) continue;
    const start = Math.floor(t / DAY_MS) * DAY_MS;
    const day = byDay.get(start);
    if (day === undefined) byDay.set(start, [r]);
    else day.push(r);
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a - b)
    .map(([startMs, day]) => ({ startMs, readings: isAscending(day) ? day : [...day].sort((a, b) => a.ts.getTime() - b.ts.getTime()) }));
}

function isAscending(readings: readonly TireReadingPoint[]): boolean {
  for (let i = 1; i < readings.length; i++) if (readings[i].ts.getTime() < readings[i - 1].ts.getTime()) return false;
  return true;
}
