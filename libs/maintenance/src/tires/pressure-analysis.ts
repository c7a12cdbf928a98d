// Slow leaks and under-inflation. Pressure rises and falls with temperature for all four tyres alike, so a
// wheel is judged against its axle partner (same sun, same road, same brake heat): a leak is a
// downward trend of the difference, not of the raw pressure.
import type { TireReadingPoint, WheelPosition } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import { mad } from '../stats/descriptive.js';
import { theilSen, type TheilSenFit } from '../stats/robust-regression.js';
import { cusum } from '../stats/change-detection.js';
import { axlePartner, WHEELS } from './tire-positions.js';
import { AXLE_WHEELS, LATEST_MINUTES, PAIR_HOUR_DAYS, type Axle, type TireReadingFacts } from './tire-reading-summary.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Below this the tyre is not safe to drive on whatever its partner says. */
export const MIN_SAFE_PRESSURE_KPA = 140;
const MIN_TREND_HOURS = 6;
const MIN_TREND_SPAN_DAYS = 0.5;
const MAX_TREND_POINTS = 120;

export interface PressureTrend {
  /** Trend of (this wheel - axle partner), kPa per day; negative = losing air relative to the partner. */
  relativeSlopeKpaPerDay: number;
  relativeSlopeHigh: number | null;
  ownSlopeKpaPerDay: number;
  /** Latest difference to the partner minus the earlier typical difference (kPa). */
  recentDropKpa: number | null;
  /** Points the trend was fitted on (hourly, or daily for spans beyond five days). */
  hours: number;
  daysToUnsafe: number | null;
  /** Change detection on the daily difference to the partner against the wheel's own earlier days. */
  recentChange: RecentPressureChange | null;
}

/** One day's summary for a wheel: what the change detection reduces (kept per axle in the summary). */
export interface DailyRelativePressure {
  day: number;
  /** Median of the day's (this wheel - axle partner) readings taken at the same minute, kPa. */
  relativeKpa: number;
  pairs: number;
}

export interface RecentPressureChange {
  /** The wheel's usual difference to its partner (median of its earlier days) and its day-to-day spread. */
  baselineKpa: number;
  scaleKpa: number;
  baselineDays: number;
  /** Latest day's difference minus the usual one (negative = lost air against the partner). */
  latestChangeKpa: number;
  /** Days since the downward CUSUM last sat at zero: how long the loss has been building. */
  days: number;
  alarm: boolean;
}

export const LEAK_CHANGE_SETTINGS = {
  /** The latest days are left out of the baseline so a starting leak does not pull it down. */
  recentDays: 5,
  minBaselineDays: 3,
  /** Day-to-day spread floor (TPMS resolution and hourly medians). */
  minScaleKpa: 1,
  /** CUSUM allowance and decision interval, in spreads: a loss of more than 1 kPa a day accumulates. */
  k: 1,
  h: 5,
  /** A real loss, not a statistical one: at least this much below the usual difference. */
  minDropKpa: 5,
} as const;

export interface InflationFinding {
  latestKpa: number;
  referenceKpa: number | null;
  deficitPct: number | null;
}

export interface WheelPressure {
  trend: PressureTrend | null;
  trendNote?: string;
  inflation: InflationFinding | null;
}

/**
 * `since[w]`: ignore readings at or before this time for wheel w (its last tyre, rotation or puncture
 * event: the leak finding starts over after a repair). It is the same for both wheels of an axle. From
 * the folded facts (tire-reading-summary.ts): hour facts count when their hour starts after it, day facts
 * when their day does (the day of the event itself is left out of daily points: a small approximation,
 * the same on both scoring paths). `inspections`: gauge readings, read whole, count for the latest pressure only.
 */
export function analyzePressure(
  facts: TireReadingFacts,
  since: Record<WheelPosition, number>,
  inspections: readonly TireReadingPoint[],
): Record<WheelPosition, WheelPressure> {
  const out = {} as Record<WheelPosition, WheelPressure>;
  const latest: Partial<Record<WheelPosition, number>> = {};
  const relFits = new Map<Axle, TheilSenFit>();
  for (const w of WHEELS) {
    const recent = facts.latest[w].filter(([minute]) => minute * MINUTE_MS > since[w]);
    for (const r of inspections) {
      if (
        r.position === w &&
        r.pressureKpa !== undefined &&
        Number.isFinite(r.pressureKpa) &&
        r.pressureKpa > 0 &&
        r.pressureKpa <= 600 &&
        r.ts.getTime() > since[w]
      ) {
        recent.push([Math.floor(r.ts.getTime() / MINUTE_MS), r.pressureKpa]);
      }
    }
    recent.sort((a, b) => a[0] - b[0]);
    // A few minutes smooth a single odd reading out of "latest".
    if (recent.length > 0) latest[w] = median(recent.slice(-LATEST_MINUTES).map(([, kpa]) => kpa));
  }
  for (const w of WHEELS) {
    const latestKpa = latest[w];
    const others = WHEELS.filter((o) => o !== w)
      .map((o) => latest[o])
      .filter((v) => v !== undefined);
    const referenceKpa = others.length > 0 ? median(others) : null;
    const inflation: InflationFinding | null =
      latestKpa === undefined
        ? null
        : {
            latestKpa,
            referenceKpa,
            deficitPct: referenceKpa !== null && referenceKpa > 0 ? ((referenceKpa - latestKpa) / referenceKpa) * 100 : null,
          };
    const { trend, note } = pressureTrend(facts, w, Math.max(since[w], since[axlePartner(w)]), latestKpa, relFits);
    out[w] = { inflation, trend, ...(note !== undefined ? { trendNote: note } : {}) };
  }
  return out;
}

/** `relFits`: the axle's (left - right) fit, shared by its two wheels (the right one sees it negated). */
function pressureTrend(
  facts: TireReadingFacts,
  w: WheelPosition,
  sinceMs: number,
  latestKpa: number | undefined,
  relFits: Map<Axle, TheilSenFit>,
): { trend: PressureTrend | null; note?: string } {
  const partner = axlePartner(w);
  const axle: Axle = w === 'FL' || w === 'FR' ? 'front' : 'rear';
  const isLeft = AXLE_WHEELS[axle].left === w;
  // Facts hold (left - right) and both wheels' own pressure: this wheel's view of them.
  const sign = isLeft ? 1 : -1;
  const ownAt = isLeft ? 2 : 3;
  const { days: allDays, hours: allHours } = facts.axles[axle];
  const days = allDays.filter((d) => d[0] * DAY_MS > sinceMs);
  const hours = allHours.filter((h) => h[0] * HOUR_MS > sinceMs);
  const hourlyFrom = allDays.length > 0 ? allDays[allDays.length - 1][0] - PAIR_HOUR_DAYS + 1 : Infinity;
  // Theil-Sen is quadratic in points: hourly points for a span of up to MAX_TREND_POINTS hours (the hours
  // kept cover it), one point per day beyond (at most 121 in the window).
  const hourly = hours.length > 0 && days.every((d) => d[0] >= hourlyFrom) && hours[hours.length - 1][0] - hours[0][0] <= MAX_TREND_POINTS;
  const points: [hour: number, rel: number, own: number][] = hourly
    ? hours.map((h) => [h[0], sign * h[1], h[ownAt]])
    : days.map((d) => [d[0] * 24, sign * d[1], d[ownAt]]);
  if (points.length < MIN_TREND_HOURS) {
    return { trend: null, note: `${points.length} ${hourly ? 'hour' : 'day'}(s) with pressure on both ${w} and ${partner}, need ${MIN_TREND_HOURS}` };
  }
  const t0 = points[0][0];
  const spanDays = ((points[points.length - 1][0] - t0) * HOUR_MS) / DAY_MS;
  if (spanDays < MIN_TREND_SPAN_DAYS) return { trend: null, note: `pressure pairs span ${spanDays.toFixed(2)} day(s)` };
  const x = (h: number): number => ((h - t0) * HOUR_MS) / DAY_MS;
  // Both wheels of an axle see the same points (same since), the right one negated: one fit serves both.
  const leftRel =
    relFits.get(axle) ??
    theilSen(
      points.map(([h, r]) => ({ x: x(h), y: sign * r })),
      0.9,
    );
  relFits.set(axle, leftRel);
  const rel = { slope: sign * leftRel.slope, high: leftRel.slopeCi === null ? null : isLeft ? leftRel.slopeCi.high : -leftRel.slopeCi.low };
  const own = theilSen(
    points.map(([h, , o]) => ({ x: x(h), y: o })),
    0.9,
  );
  const recentDropKpa = suddenDrop(
    hours.map((h) => h[0] * 60),
    hours.map((h) => sign * h[1]),
  );
  const recentChange = recentPressureChange(days.map((d) => ({ day: d[0], relativeKpa: sign * d[1], pairs: d[4] })));
  const losing = rel.slope < 0 ? -rel.slope : 0;
  const daysToUnsafe = latestKpa !== undefined && losing > 0 ? Math.max(0, (latestKpa - MIN_SAFE_PRESSURE_KPA) / losing) : null;
  return {
    trend: {
      relativeSlopeKpaPerDay: rel.slope,
      relativeSlopeHigh: rel.high,
      ownSlopeKpaPerDay: own.slope,
      recentDropKpa,
      hours: points.length,
      daysToUnsafe,
      recentChange,
    },
  };
}

/**
 * A sudden drop (a nail) shows before any trend does: the last three paired readings against the day
 * before them (a slow leak moves that difference by only one day's loss).
 */
function suddenDrop(minutes: readonly number[], rel: readonly number[]): number | null {
  const n = minutes.length;
  if (n < 6) return null;
  const cutoff = minutes[n - 3] - DAY_MS / MINUTE_MS;
  let from = n - 3;
  while (from > 0 && minutes[from - 1] >= cutoff) from--;
  const baseline = n - 3 - from >= 3 ? rel.slice(from, n - 3) : rel.slice(Math.max(0, n - 23), n - 3);
  return median(rel.slice(n - 3)) - median(baseline);
}

/**
 * A leak starting now: the daily difference to the axle partner (same temperature, so the tyre
 * temperature cancels) against the wheel's own earlier days, by a downward CUSUM. It accumulates a
 * loss of a few kPa a day within 3-4 driving days, where a trend over the whole window stays flat
 * until the leak days are the majority. The alarm counts only while it is still on at the last day.
 */
export function recentPressureChange(days: readonly DailyRelativePressure[]): RecentPressureChange | null {
  const s = LEAK_CHANGE_SETTINGS;
  const baselineDays = days.slice(0, Math.max(0, days.length - s.recentDays));
  if (baselineDays.length < s.minBaselineDays) return null;
  const values = days.map((d) => d.relativeKpa);
  const base = baselineDays.map((d) => d.relativeKpa);
  const baselineKpa = median(base);
  const scaleKpa = Math.max(s.minScaleKpa, 1.4826 * mad(base));
  const cs = cusum(values, { target: baselineKpa, scale: scaleKpa, k: s.k, h: s.h });
  const last = values.length - 1;
  let start = last;
  while (start > 0 && cs.lower[start - 1] > 0) start--;
  const latestChangeKpa = values[last] - baselineKpa;
  const running = cs.lower[last] > 0 ? days[last].day - days[start].day + 1 : 0;
  return {
    baselineKpa,
    scaleKpa,
    baselineDays: baselineDays.length,
    latestChangeKpa,
    days: running,
    alarm: cs.lower[last] >= s.h && last > start && latestChangeKpa <= -s.minDropKpa,
  };
}
