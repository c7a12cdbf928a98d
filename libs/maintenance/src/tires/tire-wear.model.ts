// Tyres: tread forecast per wheel (to 3.0 mm recommended and 1.6 mm legal), slow leaks, under-inflation
// and uneven wear across an axle. One finding per wheel so reminders can name the wheel.
import type { ComponentAssessment, Confidence, EvidenceValue, Finding, ModelResult, Risk, WheelPosition } from '../maintenance-model.js';
import type { DecisionContext, TireReadingFold } from '../incremental/index.js';
import { estimateFromDailyKm, forecastDaysToDrive, type DailyDistance } from '../odometer/daily-distance.js';
import { latestOdometer } from '../odometer/odometer-cleaner.js';
import { odometerAt } from '../odometer/odometer-lookup.js';
import { DistanceModel, emptyDistanceSummary } from '../odometer/distance-model.js';
import type { DistanceSummary } from '../odometer/odometer-aware.model.js';
import type { OdometerView } from '../odometer/odometer-track.js';
import { analyzePressure } from './pressure-analysis.js';
import { checkPressureLoss, pressureLossEvidence, type PressureLossCheck } from './pressure-loss.js';
import {
  deviceTreadReadings,
  emptyTireReadingFacts,
  foldTireReadingDay,
  pruneTireReadingFacts,
  rejectedDeviceTread,
  type TireReadingFacts,
} from './tire-reading-summary.js';
import { traceTires, type TreadObservation } from './tire-lineage.js';
import { healthFor, maxRisk } from '../common/risk-scale.js';
import { round } from '../common/rounding.js';
import { normalCdf, normalQuantile } from '../stats/descriptive.js';
import { DAY_MS } from '../common/telemetry-sessions.js';
import { axlePartner, eventCovers, WHEELS } from './tire-positions.js';
import {
  combineIssues,
  inflationIssue,
  pressureLossIssue,
  leakIssue,
  treadIssue,
  unevenWearIssue,
  type TireIssue,
  type TreadForecast,
  type UnevenWear,
} from './tire-risk.js';
import { mergeTireHistory, type TireModelState, type StoredTireEvent } from './tire-state.js';
import { analyzeWheelWear, kmToTreadLimit, TREAD_LIMITS_MM, WEAR_INTERVAL_LEVEL, type WheelWear } from './tread-wear.js';

const NEW_TREAD_MM = 8.0;
/** Uneven wear: rates must differ by this much, and by this ratio, with non-overlapping intervals. */
const UNEVEN_RATE_DIFF = 0.05;
const UNEVEN_RATE_RATIO = 1.5;
const UNEVEN_DEPTH_DIFF_MM = 1.5;
/**
 * Device and gauge tread readings step by 0.1 mm: a rate difference is a diagnosis only once the faster
 * tyre has visibly lost several steps more than its partner since the alignment (early in a car's
 * history, 500-800 km, both rates are within a step of zero and their ratio means nothing).
 */
const TREAD_RESOLUTION_MM = 0.1;
const UNEVEN_MIN_LOSS_STEPS = 5;
const UNEVEN_MIN_EXCESS_STEPS = 3;
/** The probability that the faster tyre really wears faster, needed to name uneven wear. */
const UNEVEN_MIN_CONFIDENCE = 0.9;

/** The odometer track (shared with every distance model) and the folded device tyre readings. */
export interface TireSummary extends DistanceSummary {
  tires: TireReadingFacts;
}

export class TireWearModel extends DistanceModel<TireSummary, TireModelState> {
  readonly component = 'TIRES' as const;
  readonly version = 'tires-1.2.0';
  readonly summaryVersion = 'tires-summary/2';

  /** Device tyre readings are folded per closed UTC day (incremental/tire-reading-days.ts). */
  readonly tireReadings: TireReadingFold<TireSummary> = {
    foldedUntilMs: (summary) => summary.tires.untilMs,
    foldDay: (summary, day) => {
      foldTireReadingDay(summary.tires, day);
      return summary;
    },
    pruneDays: (summary, horizonMs) => {
      pruneTireReadingFacts(summary.tires, horizonMs);
      return summary;
    },
  };

  emptySummary(): TireSummary {
    return { ...emptyDistanceSummary(), tires: emptyTireReadingFacts() };
  }

  override decideOn(
    view: OdometerView,
    summary: TireSummary,
    context: DecisionContext,
    previousState: TireModelState | undefined,
    now: Date,
  ): ModelResult<TireModelState> {
    const odometer = view.cleaning;
    const daily = estimateFromDailyKm(view.dailyKm);
    // Device readings come from the summary (folded per day); inspections, few, from the context.
    const inspections = context.tireReadings.filter((r) => r.source === 'INSPECTION');
    const readings = [...inspections, ...deviceTreadReadings(summary.tires, (t) => view.kmShiftAt(t))];
    const merged = mergeTireHistory(previousState, readings, context.serviceEvents, now, (ts) => odometerAt(odometer, ts));
    const lineage = traceTires(merged.tread, merged.events);
    const currentKm = latestOdometer(odometer)?.km ?? maxReadingKm(lineage.byWheel);

    const wear = {} as Record<WheelPosition, WheelWear | undefined>;
    const forecasts = {} as Record<WheelPosition, TreadForecast | undefined>;
    for (const w of WHEELS) {
      wear[w] = analyzeWheelWear(lineage.byWheel[w], currentKm);
      forecasts[w] = forecastFor(wear[w], daily, currentKm, now);
    }
    const resetTimes = pressureResetTimes(merged.events);
    const pressure = analyzePressure(
      summary.tires,
      resetTimes,
      inspections.filter((r) => r.ts.getTime() <= now.getTime()),
    );
    const previous = previousState?.schemaVersion === 2 ? previousState.pressure : undefined;
    const loss = checkPressureLoss(
      context.recentTirePressures ?? [],
      resetTimes,
      Object.fromEntries(WHEELS.map((w) => [w, pressure[w].inflation?.referenceKpa ?? null])) as Record<WheelPosition, number | null>,
      previous,
      now,
    );
    const uneven = WHEELS.filter((w) => w === 'FL' || w === 'RL')
      .map((w) => unevenWear(w, axlePartner(w), lineage.byWheel, merged.events, currentKm, wear))
      .filter((u) => u !== undefined);

    const findings: Finding[] = [];
    for (const w of WHEELS) {
      const issues: TireIssue[] = [];
      const lossCheck = loss.checks[w];
      const fastLoss = lossCheck !== null ? pressureLossIssue(w, lossCheck) : undefined;
      if (fastLoss !== undefined) issues.push(fastLoss);
      const wheelWear = wear[w];
      if (wheelWear !== undefined) issues.push(treadIssue(w, wheelWear, forecasts[w]));
      const trend = pressure[w].trend;
      const leak = trend !== null ? leakIssue(w, trend) : undefined;
      if (leak !== undefined) issues.push(leak);
      const inflation = inflationIssue(w, pressure[w]);
      if (inflation !== undefined) issues.push(inflation);
      for (const u of uneven) if (u.faster === w) issues.push(unevenWearIssue(u));
      if (issues.length > 0) findings.push({ subject: w, ...combineIssues(w, issues) });
    }

    const risk = maxRisk(...findings.map((f) => f.risk));
    const withForecast = WHEELS.filter((w) => forecasts[w] !== undefined);
    const first = withForecast.sort((a, b) => (forecasts[a]?.kmTo3.expectedKm ?? 0) - (forecasts[b]?.kmTo3.expectedKm ?? 0))[0];
    const firstForecast = first !== undefined ? forecasts[first] : undefined;
    const treadHealth = Math.min(
      100,
      ...WHEELS.map((w) => {
        const ww = wear[w];
        if (ww === undefined) return 100;
        const tread = ww.fit?.currentTreadMm ?? ww.latestTreadMm;
        return ((tread - TREAD_LIMITS_MM.legal) / (NEW_TREAD_MM - TREAD_LIMITS_MM.legal)) * 100;
      }),
    );
    const measuredDue = WHEELS.some((w) => (wear[w]?.latestTreadMm ?? Infinity) <= TREAD_LIMITS_MM.recommended);
    const assessment: ComponentAssessment = {
      component: this.component,
      modelVersion: this.version,
      health: healthFor(risk, treadHealth),
      risk,
      ...(measuredDue ? { dueAt: now } : firstForecast?.dueAt !== undefined ? { dueAt: firstForecast.dueAt } : {}),
      ...(firstForecast?.dueOdometerKm !== undefined ? { dueOdometerKm: Math.round(firstForecast.dueOdometerKm) } : {}),
      confidence: confidenceFor(firstForecast, wear),
      evidence: {
        currentOdometerKm: currentKm ?? null,
        dailyDistance: dailyEvidence(daily),
        odometerDropped: { ...odometer.dropped },
        odometerSegments: odometer.segmentCount,
        rejectedTreadReadings: merged.rejectedTreadReadings + rejectedDeviceTread(summary.tires),
        undocumentedReplacements: lineage.undocumentedReplacements,
        rotationRule: 'TIRE_ROTATION moves each tyre history with the tyre: two positions listed = swapped, otherwise front-to-back on the same side',
        wheels: Object.fromEntries(WHEELS.map((w) => [w, wheelEvidence(wear[w], forecasts[w], pressure[w], loss.checks[w])])),
      },
      explanation: explain(findings, risk),
      findings,
    };
    const state: TireModelState = { schemaVersion: 2, tread: merged.tread, events: merged.events };
    if (Object.keys(loss.memory).length > 0) state.pressure = loss.memory;
    return { assessment, state };
  }
}

function maxReadingKm(byWheel: Record<WheelPosition, TreadObservation[]>): number | undefined {
  const kms = WHEELS.flatMap((w) => byWheel[w].map((o) => o.odometerKm)).filter((k) => k !== null);
  return kms.length > 0 ? Math.max(...kms) : undefined;
}

function forecastFor(
  wear: WheelWear | undefined,
  daily: DailyDistance | { kind: 'insufficient-data' },
  currentKm: number | undefined,
  now: Date,
): TreadForecast | undefined {
  if (wear?.fit == null) return undefined;
  const kmTo3 = kmToTreadLimit(wear.fit, TREAD_LIMITS_MM.recommended);
  const kmTo16 = kmToTreadLimit(wear.fit, TREAD_LIMITS_MM.legal);
  const forecast: TreadForecast = { kmTo3, kmTo16 };
  if (currentKm !== undefined) forecast.dueOdometerKm = currentKm + kmTo3.expectedKm;
  if (daily.kind === 'estimate') {
    const days = (km: TreadForecast['kmTo3']): NonNullable<TreadForecast['daysTo3']> => ({
      expectedDays: forecastDaysToDrive(km.expectedKm, daily).expectedDays,
      earliestDays: forecastDaysToDrive(km.earliestKm, daily).earliestDays,
      latestDays: forecastDaysToDrive(km.latestKm, daily).latestDays,
    });
    forecast.daysTo3 = days(kmTo3);
    forecast.daysTo16 = days(kmTo16);
    forecast.dueAt = new Date(now.getTime() + Math.round(forecast.daysTo3.expectedDays * DAY_MS));
  }
  return forecast;
}

/** Leak and inflation analysis start over after anything that changed the tyre or its partner. */
function pressureResetTimes(events: readonly StoredTireEvent[]): Record<WheelPosition, number> {
  const since: Record<WheelPosition, number> = { FL: -Infinity, FR: -Infinity, RL: -Infinity, RR: -Infinity };
  for (const stored of events) {
    if (stored.kind === 'WHEEL_ALIGNMENT') continue;
    const t = Date.parse(stored.performedAt);
    const e = { kind: stored.kind, performedAt: new Date(t), positions: stored.positions };
    for (const w of WHEELS) {
      if (stored.kind === 'TIRE_ROTATION' || eventCovers(e, w) || eventCovers(e, axlePartner(w))) since[w] = Math.max(since[w], t);
    }
  }
  return since;
}

/** Compares an axle's tyres on what they did since the last alignment (an alignment resets the finding). */
function unevenWear(
  left: WheelPosition,
  right: WheelPosition,
  byWheel: Record<WheelPosition, TreadObservation[]>,
  events: readonly StoredTireEvent[],
  currentKm: number | undefined,
  wholeWear: Record<WheelPosition, WheelWear | undefined>,
): UnevenWear | undefined {
  const aligned = Math.max(-Infinity, ...events.filter((e) => e.kind === 'WHEEL_ALIGNMENT').map((e) => Date.parse(e.performedAt)));
  const after = (w: WheelPosition): TreadObservation[] => byWheel[w].filter((o) => o.ts.getTime() > aligned);
  const [l, r] = [after(left), after(right)];
  if (l.length === 0 || r.length === 0) return undefined;
  // With nothing before the alignment, the wheel's wear is the one already fitted (a fit costs ~ n^2).
  const wearOf = (w: WheelPosition, obs: TreadObservation[]): WheelWear | undefined =>
    obs.length === byWheel[w].length ? wholeWear[w] : analyzeWheelWear(obs, currentKm);
  const [lw, rw] = [wearOf(left, l), wearOf(right, r)];
  let rateDiff: number | null = null;
  let rateConfidence: number | null = null;
  let seenLossMm: number | null = null;
  let seenExcessMm: number | null = null;
  let faster: WheelPosition | undefined;
  if (lw?.fit && rw?.fit) {
    const [f, s] = lw.fit.rateMmPer1000Km >= rw.fit.rateMmPer1000Km ? [lw.fit, rw.fit] : [rw.fit, lw.fit];
    const diff = f.rateMmPer1000Km - s.rateMmPer1000Km;
    const ratioOk = s.rateMmPer1000Km <= 0 || f.rateMmPer1000Km / s.rateMmPer1000Km >= UNEVEN_RATE_RATIO;
    const [fw, sw] = f === lw.fit ? [lw, rw] : [rw, lw];
    const spanKm = Math.min(fw.spanKm, sw.spanKm);
    const lossMm = (f.rateMmPer1000Km * spanKm) / 1000;
    const excessMm = (diff * spanKm) / 1000;
    const seen = lossMm >= UNEVEN_MIN_LOSS_STEPS * TREAD_RESOLUTION_MM && excessMm >= UNEVEN_MIN_EXCESS_STEPS * TREAD_RESOLUTION_MM;
    // Each 80 % interval's half-width is 1.28 standard errors: the chance the faster rate is truly higher.
    const se = (fit: typeof f): number => Math.max(1e-6, (fit.rateHigh - fit.rateLow) / (2 * normalQuantile(0.9)));
    const confidence = normalCdf(diff / Math.hypot(se(f), se(s)));
    if (diff >= UNEVEN_RATE_DIFF && ratioOk && seen && confidence >= UNEVEN_MIN_CONFIDENCE) {
      rateDiff = diff;
      rateConfidence = confidence;
      seenLossMm = lossMm;
      seenExcessMm = excessMm;
      faster = f === lw.fit ? left : right;
    }
  }
  // Depth: only meaningful when both tyres started out alike (not a new tyre next to an old one).
  let depthDiff: number | null = null;
  const startedAlike = Math.abs(l[0].treadMm - r[0].treadMm) < 1.0;
  const gap = Math.abs(l[l.length - 1].treadMm - r[r.length - 1].treadMm);
  const measuredTogether = Math.abs(l[l.length - 1].ts.getTime() - r[r.length - 1].ts.getTime()) <= 60 * DAY_MS;
  if (startedAlike && measuredTogether && gap >= UNEVEN_DEPTH_DIFF_MM) {
    depthDiff = gap;
    faster ??= l[l.length - 1].treadMm < r[r.length - 1].treadMm ? left : right;
  }
  if (faster === undefined) return undefined;
  return {
    faster,
    slower: faster === left ? right : left,
    rateDiffMmPer1000Km: rateDiff,
    depthDiffMm: depthDiff,
    // A measured depth gap of 1.5 mm between tyres that started alike is itself near-certain.
    confidence: rateConfidence ?? 0.95,
    seenLossMm,
    seenExcessMm,
  };
}

function confidenceFor(forecast: TreadForecast | undefined, wear: Record<WheelPosition, WheelWear | undefined>): Confidence {
  if (forecast === undefined) {
    const reasons = WHEELS.map((w) => `${w}: ${wear[w]?.noFitReason ?? 'no tread readings'}`).join('; ');
    return { kind: 'insufficient-data', reason: `no tread forecast possible (${reasons})` };
  }
  if (forecast.daysTo3 !== undefined) {
    return {
      kind: 'interval',
      unit: 'days',
      level: WEAR_INTERVAL_LEVEL,
      low: round(forecast.daysTo3.earliestDays, 1),
      high: round(forecast.daysTo3.latestDays, 1),
    };
  }
  return {
    kind: 'interval',
    unit: 'km',
    level: WEAR_INTERVAL_LEVEL,
    low: round(forecast.kmTo3.earliestKm, 1),
    high: round(forecast.kmTo3.latestKm, 1),
  };
}

function dailyEvidence(daily: ReturnType<typeof estimateFromDailyKm>): EvidenceValue {
  if (daily.kind === 'insufficient-data') return { kind: daily.kind, reason: daily.reason };
  return {
    kind: daily.kind,
    fullDays: daily.fullDays,
    kmPerDay: round(daily.kmPerDay, 1),
    kmPerDayLow: round(daily.kmPerDayLow, 1),
    kmPerDayHigh: round(daily.kmPerDayHigh, 1),
  };
}

function wheelEvidence(
  wear: WheelWear | undefined,
  forecast: TreadForecast | undefined,
  pressure: ReturnType<typeof analyzePressure>[WheelPosition],
  loss: PressureLossCheck | null,
): EvidenceValue {
  return {
    treadPoints: wear?.points ?? 0,
    treadSpanKm: wear !== undefined ? Math.round(wear.spanKm) : 0,
    latestTreadMm: wear?.latestTreadMm ?? null,
    wearMmPer1000Km: wear?.fit ? round(wear.fit.rateMmPer1000Km, 3) : null,
    wearInterval: wear?.fit ? [round(wear.fit.rateLow, 3), round(wear.fit.rateHigh, 3)] : null,
    wearIntervalMethod: wear?.fit?.intervalMethod ?? null,
    // Wear that sped up: the rate above is fitted on the readings from this odometer reading on.
    wearSpedUp: wear?.fit?.since
      ? {
          fromKm: Math.round(wear.fit.since.odometerKm),
          points: wear.fit.since.points,
          earlierMmPer1000Km: round(wear.fit.since.earlierRateMmPer1000Km, 3),
        }
      : null,
    noFitReason: wear?.noFitReason ?? null,
    kmTo3mm: forecast ? Math.round(forecast.kmTo3.expectedKm) : null,
    kmTo1_6mm: forecast ? Math.round(forecast.kmTo16.expectedKm) : null,
    daysTo3mm: forecast?.daysTo3 ? round(forecast.daysTo3.expectedDays, 1) : null,
    pressureKpa: pressure.inflation?.latestKpa ?? null,
    pressureDeficitPct: pressure.inflation?.deficitPct != null ? round(pressure.inflation.deficitPct, 1) : null,
    relativePressureSlopeKpaPerDay: pressure.trend ? round(pressure.trend.relativeSlopeKpaPerDay, 3) : null,
    pressureChange: pressure.trend?.recentChange
      ? {
          baselineDifferenceKpa: round(pressure.trend.recentChange.baselineKpa, 1),
          dayToDaySpreadKpa: round(pressure.trend.recentChange.scaleKpa, 1),
          latestChangeKpa: round(pressure.trend.recentChange.latestChangeKpa, 1),
          days: pressure.trend.recentChange.days,
          alarm: pressure.trend.recentChange.alarm,
        }
      : null,
    pressureTrendNote: pressure.trendNote ?? null,
    // The newest raw readings (a puncture shows here first): see pressure-loss.ts.
    pressureLoss: pressureLossEvidence(loss),
  };
}

function explain(findings: readonly Finding[], risk: Risk): string {
  if (findings.length === 0) return 'No tyre readings yet: tread and pressure cannot be assessed.';
  if (risk === 'OK') return 'All tyres look fine.';
  const worst = findings.filter((f) => f.risk === risk);
  return worst.map((f) => f.message).join(' ');
}
