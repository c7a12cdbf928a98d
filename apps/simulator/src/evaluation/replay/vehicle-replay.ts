import {
  addMonths,
  assessIncrementally,
  isIncrementalModel,
  RISKS,
  type SavedSummary,
  type ComponentAssessment,
  type ComponentName,
  type MaintenanceModel,
  type Risk,
  type ServiceEvent,
  type VehicleProfile as ModelProfile,
  type WheelPosition,
} from '#app/maintenance';
import type { TelemetrySample } from '#app/telemetry';
import { EvaluatedVehicle, type VehicleTruth } from '../fleet/evaluated-vehicle.js';
import { OIL_INTERVAL, type VehiclePlan } from '../fleet/fleet-plan.js';
import { evaluationModels } from './evaluation-models.js';
import { evidenceNumber } from './evidence-reader.js';
import { HistoryWindow } from './history-window.js';
import { bucketTelemetry, hourlyTireReadings } from './telemetry-buckets.js';

export const DAY_MS = 86_400_000;
const WHEELS: readonly WheelPosition[] = ['FL', 'FR', 'RL', 'RR'];
/** Sampling while driving: the worker reads 30-second aggregates, so 10 s loses nothing it would see. */
const DRIVE_INTERVAL_MS = 10_000;
/**
 * A parked dongle wakes every half hour (the live simulator's default is 5 minutes): resting voltage and
 * cooling need only a few points a day, and every point costs each model on each of the 30 days it stays
 * in the window.
 */
const PARKED_INTERVAL_MS = 30 * 60_000;

export interface ComponentDay {
  risk: Risk;
  /** code:subject of the findings at SOON or worse. */
  alerts: string[];
  /** code:subject of every issue at WATCH or worse, including those folded into another finding (tyres). */
  named: string[];
}

export interface DayRecord {
  day: number;
  /** End of the day: when the models scored it. */
  endMs: number;
  components: Partial<Record<ComponentName, ComponentDay>>;
  truth: VehicleTruth;
  /** Where the oil interval is counted from at the end of this day. */
  oilBaseline: { at: Date; km: number };
  forecasts: {
    tireKmTo3: Partial<Record<WheelPosition, number>>;
    tireKmTo16: Partial<Record<WheelPosition, number>>;
    oilDaysToDue: number | null;
    coolantDaysToDanger: number | null;
  };
}

export interface VehicleRun {
  plan: VehiclePlan;
  days: DayRecord[];
  /** Days on which a healthy car's owner had the oil changed (because it was due). */
  oilServiceDays: number[];
  /** Those oil changes as the models were given them: at the odometer the car's cluster showed. */
  oilChanges: ServiceEvent[];
}

export const MODEL_PROFILE: ModelProfile = {
  make: 'Simulated',
  model: 'Hatchback 1.4',
  year: 2020,
  fuelType: 'PETROL',
  oilServiceIntervalKm: OIL_INTERVAL.km,
  oilServiceIntervalMonths: OIL_INTERVAL.months,
};

/**
 * Drives one planned vehicle day by day and scores it at the end of each day as the worker would: the
 * last 30 days of 30-second telemetry, device tyre readings as hourly medians, the service records, and
 * each model's state from the day before.
 */
export function replayVehicle(
  plan: VehiclePlan,
  options: {
    seed: number | string;
    epoch: Date;
    days: number;
    models?: MaintenanceModel[];
    onRecord?: (record: DayRecord, evidence: Partial<Record<ComponentName, ComponentAssessment['evidence']>>) => void;
    /**
     * Also scores every incremental model the way the worker does from its second score on (continuing from
     * the summary it saved the day before, through JSON as in Postgres) and hands both answers over.
     */
    comparePaths?: (day: number, component: ComponentName, full: ComponentDay, incremental: ComponentDay) => void;
  },
  /** What the dongle does to the samples on their way (data-quality scenarios: odometer jumps, resets). */
  deviceFault: (samples: TelemetrySample[]) => TelemetrySample[] = (samples) => samples,
): VehicleRun {
  const vehicle = new EvaluatedVehicle({
    vin: plan.vin,
    seed: options.seed,
    epoch: options.epoch,
    usage: plan.usage,
    faults: plan.simulatorFaults,
    noiseLevel: plan.noiseLevel,
    ...(plan.startTreadMm !== undefined ? { startTreadMm: plan.startTreadMm } : {}),
  });
  const window = new HistoryWindow(MODEL_PROFILE, [plan.lastOilChange]);
  const models = options.models ?? evaluationModels();
  const states = new Map<ComponentName, unknown>();
  const twins = new Map<ComponentName, { saved: SavedSummary<unknown> | null; state: unknown }>();
  const days: DayRecord[] = [];
  const oilServiceDays: number[] = [];
  const oilChanges: ServiceEvent[] = [];
  // The interval is counted on the true odometer (the oil wears with the distance driven); the record the
  // workshop writes carries what the cluster showed, which after an odometer jump is not the true distance.
  let oil = { at: plan.lastOilChange.performedAt, km: plan.lastOilChange.odometerKm ?? 0 };
  let shownKm: number | undefined;

  for (let day = 0; day < options.days; day++) {
    const dayStart = new Date(options.epoch.getTime() + day * DAY_MS);
    const now = new Date(dayStart.getTime() + DAY_MS);
    // A healthy car's owner services it when it falls due, as the reminders ask.
    if (plan.fault === null && isOilDue(oil, vehicle.truth.odometerKm, dayStart)) {
      const event: ServiceEvent = { kind: 'OIL_CHANGE', performedAt: dayStart, odometerKm: Math.round(shownKm ?? vehicle.truth.odometerKm) };
      window.addServiceEvent(event);
      oil = { at: dayStart, km: Math.round(vehicle.truth.odometerKm) };
      oilServiceDays.push(day);
      oilChanges.push(event);
    }
    const samples = deviceFault(vehicle.samplesUntil(now.getTime(), DRIVE_INTERVAL_MS, PARKED_INTERVAL_MS));
    shownKm = lastOdometerKm(samples) ?? shownKm;
    window.append(bucketTelemetry(samples), hourlyTireReadings(samples));
    const history = window.at(now);
    const record: DayRecord = {
      day,
      endMs: now.getTime(),
      components: {},
      truth: vehicle.truth,
      oilBaseline: oil,
      forecasts: { tireKmTo3: {}, tireKmTo16: {}, oilDaysToDue: null, coolantDaysToDanger: null },
    };
    const evidenceOf: Partial<Record<ComponentName, ComponentAssessment['evidence']>> = {};
    for (const model of models) {
      const { assessment, state } = model.assess(history, states.get(model.component), now);
      evidenceOf[model.component] = assessment.evidence;
      states.set(model.component, state);
      record.components[model.component] = componentDay(assessment);
      if (options.comparePaths && isIncrementalModel(model)) {
        const twin = twins.get(model.component) ?? { saved: null, state: undefined };
        const after = twin.saved?.closedUntilMs ?? null;
        const fresh = after === null ? history.samples : history.samples.filter((p) => p.ts.getTime() > after);
        const { samples: _all, ...context } = history;
        const step = assessIncrementally(model, twin.saved, fresh, context, twin.state, now);
        twins.set(model.component, { saved: JSON.parse(JSON.stringify(step.saved)) as SavedSummary<unknown>, state: step.state });
        options.comparePaths(day, model.component, componentDay(assessment), componentDay(step.assessment));
      }
      const evidence = assessment.evidence;
      if (model.component === 'TIRES') {
        for (const w of WHEELS) {
          const to3 = evidenceNumber(evidence, ['wheels', w, 'kmTo3mm']);
          const to16 = evidenceNumber(evidence, ['wheels', w, 'kmTo1_6mm']);
          if (to3 !== null) record.forecasts.tireKmTo3[w] = to3;
          if (to16 !== null) record.forecasts.tireKmTo16[w] = to16;
        }
      } else if (model.component === 'SERVICE_SCHEDULE') {
        record.forecasts.oilDaysToDue = evidenceNumber(evidence, ['items', 'oil', 'days', 'expected']);
      } else if (model.component === 'ENGINE_COOLING') {
        record.forecasts.coolantDaysToDanger = evidenceNumber(evidence, ['forecastDaysToDanger', 'eta']);
      }
    }
    options.onRecord?.(record, evidenceOf);
    days.push(record);
  }
  return { plan, days, oilServiceDays, oilChanges };
}

/** The odometer of the last sample that carries one: the car is parked overnight, so the cluster still shows it at midnight. */
function lastOdometerKm(samples: readonly TelemetrySample[]): number | undefined {
  return samples.findLast((s) => s.odometerKm !== undefined)?.odometerKm;
}

function componentDay(assessment: ComponentAssessment): ComponentDay {
  const soon = RISKS.indexOf('SOON');
  const watch = RISKS.indexOf('WATCH');
  return {
    risk: assessment.risk,
    alerts: assessment.findings.filter((f) => RISKS.indexOf(f.risk) >= soon).map((f) => `${f.code}:${f.subject}`),
    named: assessment.findings
      .filter((f) => RISKS.indexOf(f.risk) >= watch)
      .flatMap((f) => (typeof f.params.issues === 'string' ? f.params.issues.split(',') : [f.code]).map((code) => `${code}:${f.subject}`)),
  };
}

/** The service-schedule rule: due by distance or by calendar months, whichever comes first. */
export function isOilDue(oil: { at: Date; km: number }, odometerKm: number, at: Date): boolean {
  return odometerKm >= oil.km + OIL_INTERVAL.km || at.getTime() >= addMonths(oil.at, OIL_INTERVAL.months).getTime();
}
