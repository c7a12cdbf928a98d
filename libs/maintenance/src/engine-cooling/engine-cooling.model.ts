// Engine cooling: is the engine running hotter than it used to, or getting too hot, or never warm?
//
// Approach. Each car has its own warmed-up coolant temperature (86-95 C, set by its thermostat), so
// the model learns it rather than comparing to a fleet number:
// 1. The scorer cleans the series (order, duplicates) and cuts it into segments (../incremental); the
//    model folds each into a compact summary (coolant-summary.ts) and decides from the summary alone.
//    Readings of a stuck sensor (identical for hours) are left out of it.
// 2. Per drive, cut the warm-up (until the coolant stops rising) and idle/crawling readings; what is
//    left is the warmed-up operating temperature. One median per UTC day (of the segment's start),
//    from a 0.1 C histogram: robust to fan cycles and to a few bad readings, and it makes the trend
//    fit cheap (Theil-Sen on <= 30 points).
// 3. Baseline = median (and MAD) of the first days' medians. It is kept in the state and NOT relearned
//    on later runs, so a slowly failing system cannot teach the model that hot is normal; only a
//    COOLANT_SERVICE or THERMOSTAT_REPLACEMENT discards it (and everything recorded before the work).
// 4. Drift: CUSUM of daily medians against the baseline (a sustained shift), Theil-Sen slope with its
//    rank interval (a trend), and the forecast of when the trend reaches the danger line (105 C). When
//    the rise plainly began mid-window, the trend is the days since (coolant-trend.ts).
// 5. Measured facts need no trend: overheating episodes (>= 110 C; > 115 C for 2 min is CRITICAL at
//    once, whatever the history); episodes above the danger line (105 C) counted per day, whose
//    growing frequency comes before the engine runs hot for good; and drives long enough to warm up on
//    which the coolant plateaued well below the car's own operating temperature (a thermostat stuck
//    open: slow warm-up, poor heating, higher fuel use, engine wear). Both decide from compact
//    summaries (one per drive, one per day) kept in the saved summary.
// 6. A sudden step up (a failing water pump, a blocked radiator) is decided per drive, not per day: each
//    drive's warm median against the drives before it and the car's own drive-to-drive spread, so it
//    shows on the first drives after the step instead of days later in the daily medians.
import type { ComponentAssessment, Finding, ModelResult, Risk, VehicleHistory } from '../maintenance-model.js';
import { median, mad } from '../stats/descriptive.js';
import { cusum, forecastCrossing, type CrossingForecast } from '../stats/change-detection.js';
import { assessInFull, type DecisionContext, type IncrementalModel, type TelemetrySegment } from '../incremental/index.js';
import { COOLANT_LIMITS, type OverheatEpisode } from './coolant-drive-analysis.js';
import { dangerEpisodeFinding, stepFinding, thermostatFinding } from './coolant-findings.js';
import { driftTrend } from './coolant-trend.js';
import {
  COOLANT_SUMMARY_LIMITS,
  COOLANT_SUMMARY_VERSION,
  coolantView,
  emptyCoolantSummary,
  foldCoolantSegment,
  pruneCoolantSummary,
  type DailyWarmMedian,
  type EngineCoolingSummary,
} from './coolant-summary.js';
import { healthFor, maxRisk, riskRank } from '../common/risk-scale.js';
import { DAY_MS, isoDay, lastReset } from '../common/telemetry-sessions.js';
import { round, roundOrNull } from '../common/rounding.js';

export interface CoolantBaseline {
  medianC: number;
  /** MAD of the daily medians: the car's normal day-to-day spread. */
  madC: number;
  daysUsed: number;
  /** First and last day (YYYY-MM-DD, UTC) the baseline was learned from. */
  fromDay: string;
  toDay: string;
}

export interface EngineCoolingState {
  baseline: CoolantBaseline | null;
  /** performedAt (ISO) of the service event the baseline was learned after, if any. */
  resetAt: string | null;
}

export const ENGINE_COOLING_SETTINGS = {
  dangerC: 105,
  minReadingsPerDay: 20,
  baselineDays: 7,
  minBaselineDays: 5,
  /** A baseline outside this band is a faulty period (or a stuck-open thermostat), not "normal". */
  plausibleBaselineC: [75, 100] as const,
  minTrendDays: 7,
  /** CUSUM scale floor: day-to-day medians of a healthy car vary by about 1 C. */
  minScaleC: 1.0,
  stuckSensorMs: COOLANT_SUMMARY_LIMITS.stuckSensorMs,
  stuckSensorMinPoints: COOLANT_SUMMARY_LIMITS.stuckSensorMinPoints,
  forecastHorizonDays: 365,
} as const;

const RESET_KINDS = ['COOLANT_SERVICE', 'THERMOSTAT_REPLACEMENT'] as const;

export class EngineCoolingModel implements IncrementalModel<EngineCoolingSummary, EngineCoolingState> {
  readonly component = 'ENGINE_COOLING' as const;
  readonly version = 'engine-cooling/1.4.0';
  readonly summaryVersion = COOLANT_SUMMARY_VERSION;

  assess(history: VehicleHistory, previousState: EngineCoolingState | undefined, now: Date): ModelResult<EngineCoolingState> {
    return assessInFull(this, history, previousState, now);
  }

  emptySummary(): EngineCoolingSummary {
    return emptyCoolantSummary();
  }

  fold(summary: EngineCoolingSummary, segment: TelemetrySegment): EngineCoolingSummary {
    return foldCoolantSegment(summary, segment);
  }

  prune(summary: EngineCoolingSummary, horizonMs: number): EngineCoolingSummary {
    return pruneCoolantSummary(summary, horizonMs);
  }

  decide(
    summary: EngineCoolingSummary,
    context: DecisionContext,
    previousState: EngineCoolingState | undefined,
    now: Date,
  ): ModelResult<EngineCoolingState> {
    const s = ENGINE_COOLING_SETTINGS;
    const reset = lastReset(context.serviceEvents, RESET_KINDS, now);
    const resetAt = reset?.performedAt.toISOString() ?? null;
    const view = coolantView(summary, reset?.performedAt.getTime() ?? -Infinity, s.minReadingsPerDay);
    const { daily, stuckRuns } = view;

    let baseline = previousState?.baseline ?? null;
    if (baseline !== null && (previousState?.resetAt ?? null) !== resetAt) baseline = null;
    let baselineNote = baseline === null ? 'not learned yet' : 'kept from earlier runs';
    if (baseline === null) {
      const learned = learnBaseline(daily, view.episodes);
      baseline = learned.baseline;
      baselineNote = learned.note;
    }

    const findings: Finding[] = [];
    const episodes = view.episodes.filter((e) => e.durationS >= 10);
    const overheat = overheatFinding(episodes);
    if (overheat) findings.push(overheat);
    const danger = dangerEpisodeFinding(view.dangerDays, now);
    if (danger.finding) findings.push(danger.finding);
    const thermostat = thermostatFinding(view.judged, baseline?.medianC ?? null, view.judgedCount);
    if (thermostat.finding) findings.push(thermostat.finding);
    const step = stepFinding(view.warmDrives, baseline?.medianC ?? null);
    if (step.finding) findings.push(step.finding);
    if (stuckRuns.length > 0) findings.push(stuckFinding(stuckRuns));

    const enoughDays = daily.length >= s.minTrendDays && daily[daily.length - 1].day - daily[0].day >= s.minTrendDays - 1;
    const nowDay = now.getTime() / DAY_MS;
    const levelC = daily.length > 0 ? median(daily.slice(-3).map((d) => d.medianC)) : null;
    let forecast: CrossingForecast | null = null;
    let slope: { perDay: number; low: number | null; high: number | null } | null = null;
    /** Set when the trend is fitted on the days since the rise began (coolant-trend.ts). */
    let trendSince: { from: string; days: number; earlierCPerDay: number } | null = null;
    let cusumMax: number | null = null;
    let cusumAlarm = false;
    let driftRisk: Risk;

    if (enoughDays && baseline !== null && levelC !== null) {
      const trend = driftTrend(daily.map((d) => ({ x: d.day + 0.5 - nowDay, y: d.medianC })));
      const { fit } = trend;
      trendSince =
        trend.since === null
          ? null
          : { from: isoDay(Math.round(nowDay + trend.since.x - 0.5)), days: trend.since.days, earlierCPerDay: round(trend.since.earlierCPerDay, 3) };
      slope = { perDay: fit.slope, low: fit.slopeCi?.low ?? null, high: fit.slopeCi?.high ?? null };
      forecast = forecastCrossing(fit, s.dangerC, 0, 'up');
      if (forecast !== null && forecast.eta > s.forecastHorizonDays) forecast = null;
      const after = daily.filter((d) => isoDay(d.day) > baseline.toDay).map((d) => d.medianC);
      const scale = Math.max(1.4826 * baseline.madC, s.minScaleC);
      const cs = cusum(after, { target: baseline.medianC, scale, k: 1, h: 5 });
      cusumMax = cs.maxUpper;
      cusumAlarm = cs.upAlarmIndex !== null;
      driftRisk = driftRiskOf(levelC - baseline.medianC, levelC, forecast, cusumAlarm);
      if (driftRisk !== 'OK') findings.push(driftFinding(driftRisk, baseline.medianC, levelC, forecast, fit.slope, trendSince));
    }

    const insufficient = !enoughDays || baseline === null;
    // With too little history there is no drift finding at all (it needs the baseline and a trend), so
    // the risk can exceed WATCH only through measured facts: overheating, drives that stayed cold.
    const risk = maxRisk(...findings.map((f) => f.risk));

    const reference = baseline?.medianC ?? 90;
    const modelHealth = levelC === null ? 100 : (100 * (s.dangerC - levelC)) / (s.dangerC - reference);
    const dueAt = forecast !== null && !insufficient ? new Date(now.getTime() + forecast.eta * DAY_MS) : undefined;
    const confidence: ComponentAssessment['confidence'] = insufficient
      ? { kind: 'insufficient-data', reason: insufficientReason(daily.length, baseline, baselineNote) }
      : forecast !== null
        ? { kind: 'interval', unit: 'days', level: forecast.level, low: round(forecast.low, 1), high: round(Math.min(forecast.high, 3650), 1) }
        : { kind: 'probability', value: round(Math.min(0.95, 0.5 + daily.length / 60), 2) };

    const assessment: ComponentAssessment = {
      component: this.component,
      modelVersion: this.version,
      health: healthFor(risk, modelHealth),
      risk,
      ...(dueAt && riskRank(risk) >= riskRank('WATCH') ? { dueAt } : {}),
      confidence,
      evidence: {
        baseline: baseline === null ? null : { ...baseline, medianC: round(baseline.medianC), madC: round(baseline.madC) },
        baselineNote,
        currentWarmMedianC: levelC === null ? null : round(levelC),
        dailyMedians: daily.map((d) => ({ day: isoDay(d.day), medianC: round(d.medianC), readings: d.readings })),
        slopeCPerDay: slope === null ? null : { value: round(slope.perDay, 3), low: roundOrNull(slope.low, 3), high: roundOrNull(slope.high, 3) },
        trendSince,
        cusumMax: cusumMax === null ? null : round(cusumMax),
        cusumAlarm,
        forecastDaysToDanger:
          forecast === null ? null : { eta: round(forecast.eta, 1), low: round(forecast.low, 1), high: round(Math.min(forecast.high, 3650), 1) },
        dangerC: s.dangerC,
        overheatEpisodes: episodes.map((e) => ({ start: new Date(e.startMs).toISOString(), durationS: e.durationS, peakC: e.peakC })),
        warmupMinutesMedian: medianOrNull(view.warmupMinutes),
        longDrives: view.judgedCount,
        thermostat: thermostat.evidence,
        dangerEpisodes: danger.evidence,
        step: step.evidence,
        stuckSensorHours: round(stuckHours(stuckRuns), 1),
        // The scorer cleans the telemetry before it is cut into segments: duplicates, out-of-order and
        // invalid samples never reach the model any more, so it cannot count them (kept as 0 for the
        // readers of the evidence).
        samples: { used: view.used, duplicates: 0, outOfOrder: 0, invalid: 0, drives: view.drives },
        resetAt,
      },
      explanation: explain(risk, findings, levelC),
      findings,
    };
    return { assessment, state: { baseline, resetAt } };
  }
}

function learnBaseline(daily: readonly DailyWarmMedian[], episodes: readonly OverheatEpisode[]): { baseline: CoolantBaseline | null; note: string } {
  const s = ENGINE_COOLING_SETTINGS;
  const first = daily.slice(0, s.baselineDays);
  if (first.length < s.minBaselineDays) return { baseline: null, note: `needs ${s.minBaselineDays} days of warmed-up driving, has ${first.length}` };
  const values = first.map((d) => d.medianC);
  const medianC = median(values);
  const lastDayEnd = (first[first.length - 1].day + 1) * DAY_MS;
  const overheated = episodes.some((e) => e.startMs < lastDayEnd);
  if (medianC < s.plausibleBaselineC[0] || medianC > s.plausibleBaselineC[1] || overheated) {
    return { baseline: null, note: `not learned: the first days look faulty (median ${round(medianC)} C${overheated ? ', overheating' : ''})` };
  }
  return {
    baseline: { medianC, madC: mad(values), daysUsed: first.length, fromDay: isoDay(first[0].day), toDay: isoDay(first[first.length - 1].day) },
    note: 'learned in this run',
  };
}

function driftRiskOf(riseC: number, levelC: number, forecast: CrossingForecast | null, cusumAlarm: boolean): Risk {
  const eta = forecast?.eta ?? Infinity;
  if (levelC >= ENGINE_COOLING_SETTINGS.dangerC || eta <= 14) return 'URGENT';
  if (riseC >= 6 || eta <= 60) return 'SOON';
  if (riseC >= 3 || (cusumAlarm && riseC >= 2) || (eta <= ENGINE_COOLING_SETTINGS.forecastHorizonDays && riseC >= 1.5)) return 'WATCH';
  return 'OK';
}

function driftFinding(
  risk: Risk,
  baselineC: number,
  levelC: number,
  forecast: CrossingForecast | null,
  slopePerDay: number,
  since: { from: string } | null,
): Finding {
  const rate = since === null ? 'At this rate' : `Rising ${round(slopePerDay, 2)} C a day since ${since.from}, at this rate`;
  const when = forecast === null ? '' : ` ${rate} it reaches ${ENGINE_COOLING_SETTINGS.dangerC} C in about ${Math.round(forecast.eta)} days.`;
  return {
    code: 'COOLANT_DRIFT',
    subject: '',
    risk,
    message:
      `Your engine now runs at about ${round(levelC, 1)} C when warm, up from its usual ${round(baselineC, 1)} C.${when} ` +
      'Have the cooling system checked (coolant level, radiator, fan, water pump).',
    params: {
      baselineC: round(baselineC, 1),
      currentC: round(levelC, 1),
      slopeCPerDay: round(slopePerDay, 3),
      ...(since === null ? {} : { risingSince: since.from }),
      ...(forecast === null ? {} : { daysToDanger: Math.round(forecast.eta) }),
    },
  };
}

function overheatFinding(episodes: readonly OverheatEpisode[]): Finding | null {
  if (episodes.length === 0) return null;
  const worstCritical = Math.max(...episodes.map((e) => e.criticalS));
  const longest = Math.max(...episodes.map((e) => e.durationS));
  const peakC = Math.max(...episodes.map((e) => e.peakC));
  const risk: Risk =
    worstCritical >= COOLANT_LIMITS.criticalSustainMs / 1000 ? 'CRITICAL' : longest >= 120 || episodes.length >= 2 ? 'URGENT' : 'SOON';
  const advice =
    risk === 'CRITICAL'
      ? 'Stop driving as soon as it is safe and let the engine cool: driving on can destroy the engine. Call a workshop.'
      : 'Have the cooling system checked soon; if the temperature warning lights up, stop and let the engine cool.';
  return {
    code: 'COOLANT_OVERHEAT',
    subject: '',
    risk,
    message: `Your engine overheated ${episodes.length} time(s) recently (up to ${peakC} C, longest ${Math.round(longest)} s). ${advice}`,
    params: { episodes: episodes.length, peakC, longestS: Math.round(longest), criticalS: Math.round(worstCritical) },
  };
}

interface StuckRun {
  startT: number;
  endT: number;
  value: number;
}

const stuckHours = (runs: readonly StuckRun[]): number => runs.reduce((h, r) => h + (r.endT - r.startT) / 3_600_000, 0);

function stuckFinding(runs: readonly StuckRun[]): Finding {
  const hours = stuckHours(runs);
  return {
    code: 'COOLANT_SENSOR_STUCK',
    subject: 'sensor',
    risk: 'WATCH',
    message: `The coolant temperature reading did not change for ${round(hours, 1)} hours of driving, so those readings were ignored. The sensor or its wiring may be faulty.`,
    params: { hours: round(hours, 1), valueC: runs[0].value },
  };
}

function insufficientReason(days: number, baseline: CoolantBaseline | null, baselineNote: string): string {
  if (baseline === null) return `No baseline operating temperature: ${baselineNote}.`;
  return `Only ${days} day(s) of warmed-up driving; a trend needs ${ENGINE_COOLING_SETTINGS.minTrendDays}.`;
}

function explain(risk: Risk, findings: readonly Finding[], levelC: number | null): string {
  const worst = findings.find((f) => f.risk === risk && risk !== 'OK');
  if (worst) return worst.message;
  if (levelC === null) return 'Not enough warmed-up driving yet to judge the engine temperature.';
  return `Engine temperature is normal: about ${round(levelC, 1)} C once warm.`;
}

function medianOrNull(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : round(median(present), 1);
}
