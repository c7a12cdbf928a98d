// Distance- and time-based service items (oil, brake fluid, coolant, filters, rotation, inspection):
// due by distance or time, whichever first, with one finding per item. Incremental: the summary is the
// odometer track (odometer-track.ts); the decision reads it, the service records and the saved state.
import type { ComponentAssessment, Confidence, EvidenceValue, Finding, ModelResult } from '../maintenance-model.js';
import type { DecisionContext } from '../incremental/index.js';
import { healthFor, maxRisk } from '../common/risk-scale.js';
import { round } from '../common/rounding.js';
import { estimateFromDailyKm } from '../odometer/daily-distance.js';
import { latestOdometer } from '../odometer/odometer-cleaner.js';
import { odometerAt } from '../odometer/odometer-lookup.js';
import { DistanceModel, emptyDistanceSummary } from '../odometer/distance-model.js';
import type { DistanceSummary } from '../odometer/odometer-aware.model.js';
import type { OdometerView } from '../odometer/odometer-track.js';
import { evaluateItem, type ItemDue } from './service-due.js';
import { serviceItemsFor } from './service-items.js';
import { mergeScheduleState, type ServiceScheduleState, type StoredMark } from './service-schedule-state.js';

const DAILY_DISTANCE_LEVEL = 0.8;

export type ServiceScheduleSummary = DistanceSummary;

export class ServiceScheduleModel extends DistanceModel<ServiceScheduleSummary, ServiceScheduleState> {
  readonly component = 'SERVICE_SCHEDULE' as const;
  readonly version = 'service-schedule-1.0.0';
  readonly summaryVersion = 'service-schedule-summary/1';

  emptySummary(): ServiceScheduleSummary {
    return emptyDistanceSummary();
  }

  override decideOn(
    view: OdometerView,
    _summary: ServiceScheduleSummary,
    context: DecisionContext,
    previousState: ServiceScheduleState | undefined,
    now: Date,
  ): ModelResult<ServiceScheduleState> {
    const odometer = view.cleaning;
    const dailyResult = estimateFromDailyKm(view.dailyKm, { level: DAILY_DISTANCE_LEVEL });
    const daily = dailyResult.kind === 'estimate' ? dailyResult : undefined;
    const items = serviceItemsFor(context.profile);
    const first = odometer.points[0];
    const firstSeen: StoredMark | null =
      first !== undefined
        ? { at: first.ts.toISOString(), km: first.km }
        : view.firstSampleMs !== undefined
          ? { at: new Date(view.firstSampleMs).toISOString(), km: null }
          : null;
    const state = mergeScheduleState(previousState, items, context.serviceEvents, firstSeen, now, (ts) => odometerAt(odometer, ts));
    const currentKm = latestOdometer(odometer)?.km;

    const dues: ItemDue[] = [];
    const missing: string[] = [];
    for (const item of items) {
      const done = state.lastDone[item.id];
      const baseline = done ?? state.firstKnown;
      if (baseline === null) {
        missing.push(item.id);
        continue;
      }
      dues.push(evaluateItem(item, baseline, done === undefined, { now, currentKm, daily }));
    }

    const findings = dues.map(toFinding);
    const risk = maxRisk(...dues.map((d) => d.risk));
    const next = dues.filter((d) => d.days !== undefined).sort((a, b) => (a.days?.expected ?? 0) - (b.days?.expected ?? 0))[0];
    // Health: the share of the interval left on the most used item.
    const used = Math.max(0, ...dues.map((d) => usedFraction(d, now)));
    const assessment: ComponentAssessment = {
      component: this.component,
      modelVersion: this.version,
      health: healthFor(risk, (1 - used) * 100),
      risk,
      ...(next?.dueAt !== undefined ? { dueAt: next.dueAt } : {}),
      ...(next?.dueKm !== undefined ? { dueOdometerKm: Math.round(next.dueKm) } : {}),
      confidence: confidenceFor(next, missing),
      evidence: {
        currentOdometerKm: currentKm ?? null,
        dailyDistance:
          daily !== undefined
            ? {
                kmPerDay: round(daily.kmPerDay, 1),
                kmPerDayLow: round(daily.kmPerDayLow, 1),
                kmPerDayHigh: round(daily.kmPerDayHigh, 1),
                fullDays: daily.fullDays,
              }
            : { insufficient: dailyResult.kind === 'insufficient-data' ? dailyResult.reason : '' },
        odometerDropped: { ...odometer.dropped },
        firstKnown: state.firstKnown === null ? null : { at: state.firstKnown.at, km: state.firstKnown.km },
        itemsWithoutBaseline: missing,
        items: Object.fromEntries(dues.map((d) => [d.item.id, itemEvidence(d)])),
      },
      explanation: explain(dues, missing),
      findings,
    };
    return { assessment, state };
  }
}

function usedFraction(d: ItemDue, now: Date): number {
  const parts: number[] = [];
  if (d.remainingKm !== undefined && d.item.intervalKm !== undefined) parts.push(1 - d.remainingKm / d.item.intervalKm);
  if (d.dueByTime !== undefined) {
    const base = Date.parse(d.baseline.at);
    const total = d.dueByTime.getTime() - base;
    if (total > 0) parts.push((now.getTime() - base) / total);
  }
  return parts.length > 0 ? Math.min(1, Math.max(...parts)) : 0;
}

function confidenceFor(next: ItemDue | undefined, missing: readonly string[]): Confidence {
  if (next?.days === undefined) {
    return {
      kind: 'insufficient-data',
      reason: missing.length > 0 ? 'no odometer or date seen for this vehicle yet' : 'no item can be forecast yet',
    };
  }
  // No service record: it may be due any day now, up to what the first known date allows.
  const low = next.baselineAssumed ? Math.min(0, next.days.low) : next.days.low;
  return { kind: 'interval', unit: 'days', level: DAILY_DISTANCE_LEVEL, low: round(low, 1), high: round(next.days.high, 1) };
}

function toFinding(d: ItemDue): Finding {
  const params: Record<string, string | number> = {
    item: d.item.id,
    baselineAssumed: d.baselineAssumed ? 'yes' : 'no',
    lastDoneAt: d.baseline.at.slice(0, 10),
  };
  if (d.dueKm !== undefined) params.dueOdometerKm = Math.round(d.dueKm);
  if (d.remainingKm !== undefined) params.remainingKm = Math.round(d.remainingKm);
  if (d.days !== undefined) params.daysLeft = Math.round(d.days.expected);
  if (d.dueAt !== undefined) params.dueDate = d.dueAt.toISOString().slice(0, 10);
  if (d.limitedBy !== undefined) params.limitedBy = d.limitedBy;
  return { code: 'SERVICE_DUE', subject: d.item.id, risk: d.risk, message: messageFor(d), params };
}

function messageFor(d: ItemDue): string {
  const name = d.item.name;
  const assumed = d.baselineAssumed
    ? ` We have no record of it, so we count from ${d.baseline.at.slice(0, 10)}${d.baseline.km !== null ? ` (${fmtKm(d.baseline.km)})` : ''}, when we first saw the car: add your last ${name.toLowerCase()} to make this accurate.`
    : '';
  const overdueKm = d.remainingKm !== undefined && d.remainingKm < 0 ? fmtKm(-d.remainingKm) : undefined;
  const overdueDays = d.days !== undefined && d.days.expected < 0 ? Math.round(-d.days.expected) : undefined;
  if (overdueKm !== undefined || overdueDays !== undefined) {
    const by = [overdueKm, overdueDays !== undefined ? `${overdueDays} days` : undefined].filter((x) => x !== undefined).join(' / ');
    return `${name} is overdue by ${by}. Book it now.${assumed}`;
  }
  const when: string[] = [];
  if (d.dueAt !== undefined && d.days !== undefined)
    when.push(`in about ${Math.round(d.days.expected)} days (around ${d.dueAt.toISOString().slice(0, 10)})`);
  if (d.dueKm !== undefined) when.push(`at ${fmtKm(d.dueKm)}`);
  const whichever = when.length > 1 ? ', whichever comes first' : '';
  return when.length > 0 ? `${name} is due ${when.join(' or ')}${whichever}.${assumed}` : `${name}: not enough data to say when it is due.${assumed}`;
}

function itemEvidence(d: ItemDue): EvidenceValue {
  return {
    baselineAt: d.baseline.at,
    baselineKm: d.baseline.km,
    baselineAssumed: d.baselineAssumed,
    intervalKm: d.item.intervalKm ?? null,
    intervalMonths: d.item.intervalMonths ?? null,
    dueKm: d.dueKm ?? null,
    remainingKm: d.remainingKm !== undefined ? Math.round(d.remainingKm) : null,
    dueByTime: d.dueByTime?.toISOString() ?? null,
    days: d.days ? { expected: round(d.days.expected, 1), low: round(d.days.low, 1), high: round(d.days.high, 1) } : null,
    overdueFraction: round(d.overdueFraction * 100, 1) / 100,
    limitedBy: d.limitedBy ?? null,
    noForecastReason: d.noForecastReason ?? null,
  };
}

function explain(dues: readonly ItemDue[], missing: readonly string[]): string {
  if (dues.length === 0)
    return `No odometer or date seen yet for this vehicle: the service schedule starts with its first data (${missing.join(', ')}).`;
  const pressing = dues.filter((d) => d.risk !== 'OK');
  if (pressing.length === 0) return 'No service is due soon.';
  return pressing.map((d) => messageFor(d).split('. ')[0].replace(/\.$/, '') + '.').join(' ');
}

const fmtKm = (km: number): string => `${Math.round(km).toLocaleString('en-GB')} km`;
