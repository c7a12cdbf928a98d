// When one item falls due: by distance or by time, whichever comes first, with an interval from the
// vehicle's own daily-distance spread.
import type { Risk } from '../maintenance-model.js';
import { forecastDaysToDrive, type DailyDistance } from '../odometer/daily-distance.js';
import { addDays, addMonths, daysBetween } from './calendar.js';
import type { ServiceItem } from './service-items.js';
import type { StoredMark } from './service-schedule-state.js';

export const SOON_DAYS = 30;
export const SOON_KM = 1_000;
const WATCH_DAYS = 60;
const WATCH_KM = 2_000;
/** Past due by more than half an interval (distance or time). */
const CRITICAL_OVERDUE_FRACTION = 0.5;

export interface ItemDue {
  item: ServiceItem;
  /** Where the interval is counted from, and whether that is a record or our assumption. */
  baseline: StoredMark;
  baselineAssumed: boolean;
  dueKm?: number;
  remainingKm?: number;
  dueByTime?: Date;
  /** Expected days until due (negative when overdue) and an interval; absent when nothing can be said. */
  days?: { expected: number; low: number; high: number };
  dueAt?: Date;
  /** How far past due, as a fraction of the interval (0 when not overdue). */
  overdueFraction: number;
  /** Which limit comes first. */
  limitedBy?: 'distance' | 'time';
  risk: Risk;
  /** Why there is no forecast, when there is none. */
  noForecastReason?: string;
}

export interface DueContext {
  now: Date;
  currentKm: number | undefined;
  daily: DailyDistance | undefined;
}

export function evaluateItem(item: ServiceItem, baseline: StoredMark, baselineAssumed: boolean, ctx: DueContext): ItemDue {
  const base = Date.parse(baseline.at);
  const out: ItemDue = { item, baseline, baselineAssumed, overdueFraction: 0, risk: 'OK' };
  const candidates: { by: 'distance' | 'time'; expected: number; low: number; high: number }[] = [];
  let overdue = 0;

  if (item.intervalMonths !== undefined) {
    out.dueByTime = addMonths(new Date(base), item.intervalMonths);
    const d = daysBetween(ctx.now, out.dueByTime);
    candidates.push({ by: 'time', expected: d, low: d, high: d });
    const intervalDays = daysBetween(new Date(base), out.dueByTime);
    if (d < 0) overdue = Math.max(overdue, -d / intervalDays);
  }
  if (item.intervalKm !== undefined && baseline.km !== null && ctx.currentKm !== undefined) {
    out.dueKm = baseline.km + item.intervalKm;
    out.remainingKm = out.dueKm - ctx.currentKm;
    if (out.remainingKm < 0) overdue = Math.max(overdue, -out.remainingKm / item.intervalKm);
    if (ctx.daily !== undefined) {
      const f = forecastDaysToDrive(Math.max(0, out.remainingKm), ctx.daily);
      candidates.push({ by: 'distance', expected: out.remainingKm <= 0 ? 0 : f.expectedDays, low: f.earliestDays, high: f.latestDays });
    }
  }
  out.overdueFraction = overdue;

  if (candidates.length > 0) {
    const first = candidates.reduce((a, b) => (b.expected < a.expected ? b : a));
    out.limitedBy = first.by;
    // Whichever-first applies to the bounds too: the time limit caps a slow driver's distance forecast.
    out.days = {
      expected: first.expected,
      low: Math.min(...candidates.map((c) => c.low)),
      high: Math.min(...candidates.map((c) => c.high)),
    };
    out.dueAt = addDays(ctx.now, Math.max(0, first.expected));
  } else if (out.remainingKm === undefined) {
    out.noForecastReason =
      item.intervalKm !== undefined && baseline.km === null ? 'no odometer reading at the last service' : 'no odometer data for this vehicle';
  } else {
    out.noForecastReason = 'daily distance not known yet: due by distance only';
  }
  out.risk = riskFor(out);
  return out;
}

function riskFor(d: ItemDue): Risk {
  let risk: Risk = 'OK';
  const days = d.days?.expected;
  const km = d.remainingKm;
  if (d.overdueFraction > CRITICAL_OVERDUE_FRACTION) risk = 'CRITICAL';
  else if ((days !== undefined && days <= 0) || (km !== undefined && km <= 0)) risk = 'URGENT';
  else if ((days !== undefined && days <= SOON_DAYS) || (km !== undefined && km <= SOON_KM)) risk = 'SOON';
  else if ((days !== undefined && days <= WATCH_DAYS) || (km !== undefined && km <= WATCH_KM)) risk = 'WATCH';
  // An assumed baseline is a guess: remind gently, never alarm.
  if (d.baselineAssumed && risk !== 'OK') risk = 'WATCH';
  return risk;
}
