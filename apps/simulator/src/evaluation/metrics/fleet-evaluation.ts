import { COMPONENTS, RISKS, type ComponentName } from '#app/maintenance';
import { EVALUATED_FAULTS, FAULT_DEFINITIONS, type EvaluatedFault } from '../fleet/evaluated-fault.js';
import { DAY_MS, type DayRecord, type VehicleRun } from '../replay/vehicle-replay.js';
import {
  alertEpisodes,
  detectionOutcome,
  drivingDayOutcome,
  firstRaisedFrom,
  median,
  medianAbsolutePercentageError,
  perThousandVehicleDays,
  recall,
  type DetectionOutcome,
} from './detection.metrics.js';
import { failingWheel, failureDay, FAILURE_LINES, oilDueAtMs } from './ground-truth.js';

/** Forecasts are judged on every 7th day while the truth is this many days away (a reminder's horizon). */
export const FORECAST_WINDOW_DAYS = [30, 120] as const;
const FORECAST_EVERY_DAYS = 7;
/** A service or tyre reminder this close to the real due date is a correct reminder, not a false alert. */
const REMINDER_DAYS = 45;
const SOON = RISKS.indexOf('SOON');
const URGENT = RISKS.indexOf('URGENT');

export interface FaultResult {
  fault: EvaluatedFault;
  vehicles: number;
  /** Vehicles whose failure line was crossed within the run: the ones recall is computed on. */
  failed: number;
  detected: number;
  recall: number | null;
  medianLeadDays: number | null;
  medianDelayDays: number | null;
  /** Largest delay among the failed vehicles (reactive faults), in the kind's unit. */
  maxDelayDays: number | null;
  /** Faults with a naming rule: failed vehicles whose finding named the fault correctly before the line. */
  named: number | null;
  forecast: ForecastResult | null;
  /** One line per missed vehicle: why it counts as missed. */
  misses: string[];
  outcomes: DetectionOutcome[];
}

export interface ForecastResult {
  quantity: string;
  mape: number | null;
  points: number;
  /** Evaluation points at which the model made no forecast at all. */
  missing: number;
}

export interface FalseAlertResult {
  vehicles: number;
  vehicleDays: number;
  episodes: number;
  per1000: number | null;
  /** Episodes by component and the findings raised at their onset. */
  byFinding: Record<string, number>;
  /** Episodes that reached URGENT or CRITICAL at any point (the goal is none). */
  urgentOrWorse: number;
  urgentByFinding: Record<string, number>;
  /** Oil and tyre-tread reminders within 45 days of the real due date: correct, not counted. */
  excusedReminders: number;
}

export interface FleetEvaluation {
  faults: FaultResult[];
  falseAlerts: FalseAlertResult;
  recall: number | null;
  medianLeadDays: number | null;
  tireForecastMape: number | null;
}

const raisedSeries = (days: readonly DayRecord[], components: readonly ComponentName[]): boolean[] =>
  days.map((d) => components.some((c) => RISKS.indexOf(d.components[c]?.risk ?? 'OK') >= SOON));

export function evaluateFleet(runs: readonly VehicleRun[]): FleetEvaluation {
  const faults = EVALUATED_FAULTS.map((fault) =>
    evaluateFault(
      fault,
      runs.filter((r) => r.plan.fault === fault),
    ),
  );
  const outcomes = faults.flatMap((f) => f.outcomes);
  const leads = faults.flatMap((f) => f.outcomes.flatMap((o) => (o.detected && o.leadDays !== null ? [o.leadDays] : [])));
  const tirePairs = (['fast-tire-wear', 'uneven-tire-wear'] as const).flatMap(
    (fault) =>
      forecastPairs(
        fault,
        runs.filter((r) => r.plan.fault === fault),
      )?.pairs ?? [],
  );
  return {
    faults,
    falseAlerts: evaluateFalseAlerts(runs.filter((r) => r.plan.fault === null)),
    recall: recall(outcomes),
    medianLeadDays: median(leads),
    // Both tyre faults' forecast points pooled.
    tireForecastMape: medianAbsolutePercentageError(tirePairs),
  };
}

function evaluateFault(fault: EvaluatedFault, runs: readonly VehicleRun[]): FaultResult {
  const definition = FAULT_DEFINITIONS[fault];
  const outcomes: DetectionOutcome[] = [];
  const misses: string[] = [];
  let named = 0;
  for (const run of runs) {
    const failure = failureDay(run);
    if (failure === null) continue;
    const raised = raisedSeries(run.days, definition.detectedBy);
    const first = firstRaisedFrom(raised, run.plan.onsetDay ?? 0);
    const timing = definition.timing;
    const outcome =
      timing.kind === 'reactive' && timing.drivingDays === true
        ? drivingDayOutcome(timing.withinDays, movedDays(run), failure, first)
        : detectionOutcome(timing, failure, first);
    outcomes.push(outcome);
    if (definition.namedAs !== undefined && isNamed(run, definition.namedAs, definition.detectedBy, failure)) named++;
    if (!outcome.detected) misses.push(describeMiss(fault, run, failure, outcome));
  }
  const leads = outcomes.flatMap((o) => (o.detected && o.leadDays !== null ? [o.leadDays] : []));
  const delays = outcomes.flatMap((o) => (o.delayDays !== null ? [o.delayDays] : []));
  return {
    fault,
    vehicles: runs.length,
    failed: outcomes.length,
    detected: outcomes.filter((o) => o.detected).length,
    recall: recall(outcomes),
    medianLeadDays: median(leads),
    medianDelayDays: median(delays),
    maxDelayDays: delays.length > 0 ? Math.max(...delays) : null,
    named: definition.namedAs === undefined ? null : named,
    forecast: forecastFor(fault, runs),
    misses,
    outcomes,
  };
}

/** Days on which the car moved (more than 0.5 km on its true odometer); the first day counts as moved. */
function movedDays(run: VehicleRun): boolean[] {
  return run.days.map((d, i) => d.truth.odometerKm - (run.days[i - 1]?.truth.odometerKm ?? -Infinity) > 0.5);
}

function isNamed(run: VehicleRun, namedAs: string, components: readonly ComponentName[], failure: number): boolean {
  const from = Math.max(0, run.plan.onsetDay ?? 0);
  return run.days.slice(from, failure).some((d) => components.some((c) => d.components[c]?.named.includes(namedAs) ?? false));
}

function describeMiss(fault: EvaluatedFault, run: VehicleRun, failure: number, outcome: DetectionOutcome): string {
  const when =
    outcome.leadDays !== null
      ? `first alert ${-outcome.leadDays} days after the line`
      : outcome.delayDays !== null
        ? `first alert ${outcome.delayDays} days after onset`
        : 'never alerted';
  const detectedBy = FAULT_DEFINITIONS[fault].detectedBy;
  const atLine = run.days[Math.min(failure, run.days.length - 1)];
  const risks = detectedBy.map((c) => `${c}=${atLine.components[c]?.risk ?? '-'}`).join(' ');
  return `${run.plan.vin} (${run.plan.usage}, onset day ${run.plan.onsetDay}, line day ${failure}): ${when}; at the line ${risks}`;
}

interface Pair {
  forecast: number;
  truth: number;
}

function forecastFor(fault: EvaluatedFault, runs: readonly VehicleRun[]): ForecastResult | null {
  const result = forecastPairs(fault, runs);
  if (result === null) return null;
  return { quantity: result.quantity, mape: medianAbsolutePercentageError(result.pairs), points: result.pairs.length, missing: result.missing };
}

function forecastPairs(fault: EvaluatedFault, runs: readonly VehicleRun[]): { quantity: string; pairs: Pair[]; missing: number } | null {
  let quantity: string;
  let collect: (run: VehicleRun, d: DayRecord) => { truthDays: number; pair: Pair | 'missing' } | null;
  switch (fault) {
    case 'fast-tire-wear':
    case 'uneven-tire-wear':
      quantity = 'km to 3.0 mm (1.6 mm once below 3.0)';
      collect = tirePoint;
      break;
    case 'oil-service-overdue':
      quantity = 'days to oil due';
      collect = (run, d) => {
        const truthDays = (oilDueAtMs(d, run.days) - d.endMs) / DAY_MS;
        const f = d.forecasts.oilDaysToDue;
        return { truthDays, pair: f === null ? 'missing' : { forecast: f, truth: truthDays } };
      };
      break;
    case 'coolant-drift':
      quantity = 'days to 105 C';
      collect = (run, d) => {
        const rate = run.plan.simulatorFaults[0].rate;
        const truthDays = (FAILURE_LINES.coolantC - d.truth.setPointC) / rate;
        const f = d.forecasts.coolantDaysToDanger;
        return { truthDays, pair: f === null ? 'missing' : { forecast: f, truth: truthDays } };
      };
      break;
    default:
      return null;
  }
  const pairs: Pair[] = [];
  let missing = 0;
  for (const run of runs) {
    for (const d of run.days) {
      if (d.day % FORECAST_EVERY_DAYS !== 0 || d.day < (run.plan.onsetDay ?? 0)) continue;
      const point = collect(run, d);
      if (point === null || point.truthDays < FORECAST_WINDOW_DAYS[0] || point.truthDays > FORECAST_WINDOW_DAYS[1]) continue;
      if (point.pair === 'missing') missing++;
      else pairs.push(point.pair);
    }
  }
  return { quantity, pairs, missing };
}

/** Truth in km is exact: tread wears linearly with distance at the wheel's current (fault-included) rate. */
function tirePoint(run: VehicleRun, d: DayRecord): { truthDays: number; pair: Pair | 'missing' } | null {
  const wheel = failingWheel(run);
  const tread = d.truth.treadMm[wheel];
  const rate = d.truth.wearPerKmMm[wheel];
  const first = run.days[0].truth.odometerKm;
  const kmPerDay = (run.days[run.days.length - 1].truth.odometerKm - first) / run.days.length;
  if (rate <= 0 || kmPerDay <= 0 || tread <= FAILURE_LINES.legalTreadMm) return null;
  const to3 = tread > FAILURE_LINES.recommendedTreadMm;
  const truthKm = (tread - (to3 ? FAILURE_LINES.recommendedTreadMm : FAILURE_LINES.legalTreadMm)) / rate;
  const forecast = (to3 ? d.forecasts.tireKmTo3 : d.forecasts.tireKmTo16)[wheel];
  return { truthDays: truthKm / kmPerDay, pair: forecast === undefined ? 'missing' : { forecast, truth: truthKm } };
}

/**
 * Healthy vehicles: every onset of SOON-or-worse on a component is one false alert episode, per
 * component (two components raised together count twice). A service reminder within 45 days of the real
 * due date is a correct reminder and is not counted.
 */
export function evaluateFalseAlerts(runs: readonly VehicleRun[]): FalseAlertResult {
  const byFinding: Record<string, number> = {};
  const urgentByFinding: Record<string, number> = {};
  let episodes = 0;
  let urgentOrWorse = 0;
  let excused = 0;
  for (const run of runs) {
    for (const component of COMPONENTS) {
      for (const episode of alertEpisodes(raisedSeries(run.days, [component]))) {
        const start = run.days[episode.startDay];
        if (isDueReminder(component, start, run)) {
          excused++;
          continue;
        }
        episodes++;
        const label = `${component} ${start.components[component]?.alerts.join(',') ?? ''}`.trim();
        byFinding[label] = (byFinding[label] ?? 0) + 1;
        const worst = run.days
          .slice(episode.startDay, episode.endDay + 1)
          .find((d) => RISKS.indexOf(d.components[component]?.risk ?? 'OK') >= URGENT);
        if (worst !== undefined) {
          urgentOrWorse++;
          const urgentLabel = `${component} ${worst.components[component]?.risk ?? ''} ${worst.components[component]?.alerts.join(',') ?? ''}`.trim();
          urgentByFinding[urgentLabel] = (urgentByFinding[urgentLabel] ?? 0) + 1;
        }
      }
    }
  }
  const vehicleDays = runs.reduce((n, r) => n + r.days.length, 0);
  return {
    vehicles: runs.length,
    vehicleDays,
    episodes,
    per1000: perThousandVehicleDays(episodes, vehicleDays),
    byFinding,
    urgentOrWorse,
    urgentByFinding,
    excusedReminders: excused,
  };
}

/** Oil really due, or a tyre really reaching 3.0 mm, within 45 days: the alert is the reminder we want. */
function isDueReminder(component: ComponentName, start: DayRecord, run: VehicleRun): boolean {
  if (component === 'SERVICE_SCHEDULE') return (oilDueAtMs(start, run.days) - start.endMs) / DAY_MS <= REMINDER_DAYS;
  if (component !== 'TIRES' || !(start.components.TIRES?.alerts ?? []).every((a) => a.startsWith('TIRE_TREAD_WEAR:'))) return false;
  const kmPerDay = (run.days[run.days.length - 1].truth.odometerKm - run.days[0].truth.odometerKm) / run.days.length;
  const { treadMm, wearPerKmMm } = start.truth;
  const kmTo3 = Math.min(
    ...(['FL', 'FR', 'RL', 'RR'] as const).map((w) => Math.max(0, treadMm[w] - FAILURE_LINES.recommendedTreadMm) / wearPerKmMm[w]),
  );
  return kmPerDay > 0 && kmTo3 / kmPerDay <= REMINDER_DAYS;
}
