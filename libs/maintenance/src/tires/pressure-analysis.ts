// Slow leaks and under-inflation. Pressure rises and falls with temperature for all four tyres alike, so a
// wheel is judged against its axle partner (same sun, same road, same brake heat): a leak is a
// downward trend of the difference, not of the raw pressure.
import type { TireReadingPoint, WheelPosition } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import { mad } from '../stats/descriptive.js';
import { theilSen } from '../stats/robust-regression.js';
import { cusum } from '../stats/change-detection.js';
import { axlePartner, WHEELS } from './tire-positions.js';

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
  hours: number;
  daysToUnsafe: number | null;
  /** Change detection on the daily difference to the partner against the wheel's own earlier days. */
  recentChange: RecentPressureChange | null;
}

/** One day's summary for a wheel: what the change detection reduces (compact enough to keep in state). */
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

interface MinuteSeries {
  minutes: number[];
  kpa: number[];
}

/** Pressure per wheel, one value per minute (median of that minute), ascending. Parallel arrays: tens of
 * thousands of readings per run, so no object per reading. */
function byMinute(readings: readonly TireReadingPoint[], since: Record<WheelPosition, number>): Record<WheelPosition, MinuteSeries> {
  const raw: Record<WheelPosition, MinuteSeries> = {
    FL: { minutes: [], kpa: [] },
    FR: { minutes: [], kpa: [] },
    RL: { minutes: [], kpa: [] },
    RR: { minutes: [], kpa: [] },
  };
  for (const r of readings) {
    const kpa = r.pressureKpa;
    if (kpa === undefined || !Number.isFinite(kpa) || kpa <= 0 || kpa > 600) continue;
    const t = r.ts.getTime();
    if (t <= since[r.position]) continue;
    const target = raw[r.position];
    target.minutes.push(Math.floor(t / MINUTE_MS));
    target.kpa.push(kpa);
  }
  const out = {} as Record<WheelPosition, MinuteSeries>;
  for (const w of WHEELS) {
    let { minutes, kpa } = raw[w];
    let sorted = true;
    for (let i = 1; i < minutes.length && sorted; i++) sorted = minutes[i] >= minutes[i - 1];
    if (!sorted) {
      const order = minutes.map((_, i) => i).sort((a, b) => minutes[a] - minutes[b]);
      minutes = order.map((i) => raw[w].minutes[i]);
      kpa = order.map((i) => raw[w].kpa[i]);
    }
    const series: MinuteSeries = { minutes: [], kpa: [] };
    for (let i = 0; i < minutes.length;) {
      let j = i + 1;
      while (j < minutes.length && minutes[j] === minutes[i]) j++;
      series.minutes.push(minutes[i]);
      series.kpa.push(j - i === 1 ? kpa[i] : median(kpa.slice(i, j)));
      i = j;
    }
    out[w] = series;
  }
  return out;
}

/**
 * `since[w]`: ignore readings at or before this time for wheel w (its last tyre, rotation or puncture
 * event: the leak finding starts over after a repair).
 */
export function analyzePressure(readings: readonly TireReadingPoint[], since: Record<WheelPosition, number>): Record<WheelPosition, WheelPressure> {
  const series = byMinute(readings, since);
  const out = {} as Record<WheelPosition, WheelPressure>;
  const latest: Partial<Record<WheelPosition, number>> = {};
  // A few minutes smooth a single odd reading out of "latest".
  for (const w of WHEELS) if (series[w].kpa.length > 0) latest[w] = median(series[w].kpa.slice(-5));
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
    const { trend, note } = pressureTrend(series[w], series[axlePartner(w)], w, latestKpa);
    out[w] = { inflation, trend, ...(note !== undefined ? { trendNote: note } : {}) };
  }
  return out;
}

function pressureTrend(
  ownSeries: MinuteSeries,
  other: MinuteSeries,
  w: WheelPosition,
  latestKpa: number | undefined,
): { trend: PressureTrend | null; note?: string } {
  const partner = axlePartner(w);
  // Minutes with both wheels (a merge of two ascending series) -> medians per bucket (an hour, wider for
  // long series: Theil-Sen is quadratic in points) of the difference and of the wheel's own pressure.
  const pairedMinute: number[] = [];
  const pairedRel: number[] = [];
  const pairedOwn: number[] = [];
  for (let i = 0, j = 0; i < ownSeries.minutes.length && j < other.minutes.length;) {
    if (ownSeries.minutes[i] < other.minutes[j]) i++;
    else if (ownSeries.minutes[i] > other.minutes[j]) j++;
    else {
      pairedMinute.push(ownSeries.minutes[i]);
      pairedRel.push(ownSeries.kpa[i] - other.kpa[j]);
      pairedOwn.push(ownSeries.kpa[i]);
      i++;
      j++;
    }
  }
  const n = pairedMinute.length;
  const spanMinutes = n > 0 ? pairedMinute[n - 1] - pairedMinute[0] : 0;
  const bucketMinutes = Math.max(1, Math.ceil(spanMinutes / 60 / MAX_TREND_POINTS)) * 60;
  // Pairs are ascending, so each bucket is a contiguous run.
  const hourly: [number, { rel: number; own: number }][] = [];
  for (let i = 0; i < n;) {
    const bucket = Math.floor(pairedMinute[i] / bucketMinutes);
    let j = i + 1;
    while (j < n && Math.floor(pairedMinute[j] / bucketMinutes) === bucket) j++;
    hourly.push([(bucket * bucketMinutes) / 60, { rel: median(pairedRel.slice(i, j)), own: median(pairedOwn.slice(i, j)) }]);
    i = j;
  }
  if (hourly.length < MIN_TREND_HOURS) {
    return { trend: null, note: `${hourly.length} hour(s) with pressure on both ${w} and ${partner}, need ${MIN_TREND_HOURS}` };
  }
  const t0 = hourly[0][0];
  const spanDays = ((hourly[hourly.length - 1][0] - t0) * HOUR_MS) / DAY_MS;
  if (spanDays < MIN_TREND_SPAN_DAYS) return { trend: null, note: `pressure pairs span ${spanDays.toFixed(2)} day(s)` };
  const rel = theilSen(
    hourly.map(([h, v]) => ({ x: ((h - t0) * HOUR_MS) / DAY_MS, y: v.rel })),
    0.9,
  );
  const own = theilSen(
    hourly.map(([h, v]) => ({ x: ((h - t0) * HOUR_MS) / DAY_MS, y: v.own })),
    0.9,
  );
  const recentDropKpa = suddenDrop(pairedMinute, pairedRel);
  const recentChange = recentPressureChange(dailyRelative(pairedMinute, pairedRel));
  const losing = rel.slope < 0 ? -rel.slope : 0;
  const daysToUnsafe = latestKpa !== undefined && losing > 0 ? Math.max(0, (latestKpa - MIN_SAFE_PRESSURE_KPA) / losing) : null;
  return {
    trend: {
      relativeSlopeKpaPerDay: rel.slope,
      relativeSlopeHigh: rel.slopeCi?.high ?? null,
      ownSlopeKpaPerDay: own.slope,
      recentDropKpa,
      hours: hourly.length,
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

/** Paired readings -> one median difference per UTC day. Pairs are ascending, so each day is a contiguous run. */
export function dailyRelative(minutes: readonly number[], rel: readonly number[]): DailyRelativePressure[] {
  const out: DailyRelativePressure[] = [];
  const perDay = DAY_MS / MINUTE_MS;
  for (let i = 0; i < minutes.length;) {
    const day = Math.floor(minutes[i] / perDay);
    let j = i + 1;
    while (j < minutes.length && Math.floor(minutes[j] / perDay) === day) j++;
    out.push({ day, relativeKpa: median(rel.slice(i, j)), pairs: j - i });
    i = j;
  }
  return out;
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
