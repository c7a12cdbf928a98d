import type { ServiceEvent } from '#app/maintenance';
import { SPIKES_FAIL_FOR_GOOD_PER_HOUR, type FaultSpec } from '../../vehicle/fault.model.js';
import { SeededRandom } from '../../vehicle/seeded-random.js';
import { drawEvaluatedProfile } from './evaluated-vehicle.js';
import { EVALUATED_FAULTS, type EvaluatedFault } from './evaluated-fault.js';
import { USAGE_KINDS, type UsageKind } from './usage.js';

export interface VehiclePlan {
  vin: string;
  usage: UsageKind;
  /** null: a healthy vehicle. */
  fault: EvaluatedFault | null;
  simulatorFaults: FaultSpec[];
  /** Day (from the epoch) the fault starts. */
  onsetDay: number | null;
  startTreadMm?: number;
  noiseLevel: number;
  lastOilChange: ServiceEvent;
}

export interface FleetPlanOptions {
  seed: number | string;
  vehicles: number;
  days: number;
  epoch: Date;
}

export const OIL_INTERVAL = { km: 15_000, months: 12 } as const;
/** Rough distance per day of each usage, only to size faults so they play out inside the evaluated period. */
export const TYPICAL_KM_PER_DAY: Record<UsageKind, number> = { city: 30, highway: 75, 'low-mileage': 12, taxi: 190 };
/** Of every ten vehicles, three are healthy: enough vehicle-days to measure false alerts. */
const HEALTHY_PER_TEN = 3;
const DAY_MS = 86_400_000;
const LEGAL_TREAD_MM = 1.6;
const FAILED_PRESSURE_KPA = 150;
const DANGER_COOLANT_C = 105;

/**
 * The synthetic fleet, all from the seed: a mix of usages, three in ten healthy, the rest with one fault
 * each, every fault sized (onset, speed, noise) so that its failure line is crossed inside the evaluated
 * period, with enough days before it for a model to see it coming.
 */
export function planFleet(options: FleetPlanOptions): VehiclePlan[] {
  const random = new SeededRandom(`fleet:${options.seed}`);
  const plans: VehiclePlan[] = [];
  for (let index = 0; index < options.vehicles; index++) {
    const r = random.fork(index);
    const vin = `EVAL${String(options.seed).padStart(4, '0').slice(-4)}${String(index).padStart(9, '0')}`;
    const slot = index % 10;
    const fault =
      slot < HEALTHY_PER_TEN
        ? null
        : EVALUATED_FAULTS[(Math.floor(index / 10) * (10 - HEALTHY_PER_TEN) + slot - HEALTHY_PER_TEN) % EVALUATED_FAULTS.length];
    const usage = USAGE_KINDS[(index + Math.floor(index / 10)) % USAGE_KINDS.length];
    plans.push(planVehicle({ vin, usage, fault, random: r, seed: options.seed, days: options.days, epoch: options.epoch }));
  }
  return plans;
}

interface VehicleDraft {
  vin: string;
  usage: UsageKind;
  fault: EvaluatedFault | null;
  random: SeededRandom;
  seed: number | string;
  days: number;
  epoch: Date;
}

function planVehicle(d: VehicleDraft): VehiclePlan {
  const { random, days } = d;
  const profile = drawEvaluatedProfile(d.seed, d.vin);
  const kmPerDay = TYPICAL_KM_PER_DAY[d.usage];
  const noiseLevel = random.uniform(0, 1);
  // The failure line falls between day 45 and shortly before the end, so there is room to forecast it.
  const failureDay = Math.round(random.uniform(Math.min(45, days * 0.6), days - Math.min(10, days * 0.15)));
  const base: VehiclePlan = {
    vin: d.vin,
    usage: d.usage,
    fault: d.fault,
    simulatorFaults: [],
    onsetDay: null,
    noiseLevel,
    lastOilChange: recentOilChange(d.epoch, profile.startOdometerKm, random),
  };
  const onsetBefore = (leadDays: number) => Math.max(0, Math.round(random.uniform(Math.min(10, failureDay / 4), Math.max(failureDay - leadDays, 1))));

  switch (d.fault) {
    case null:
      return base;
    case 'coolant-drift': {
      const onset = onsetBefore(25);
      const rate = (DANGER_COOLANT_C - profile.thermostatSetPointC) / (failureDay - onset);
      return { ...base, onsetDay: onset, simulatorFaults: [{ kind: 'coolant-drift', onsetDays: onset, rate }] };
    }
    case 'thermostat-stuck-open': {
      const onset = Math.round(random.uniform(Math.min(10, days / 4), days - Math.min(20, days / 3)));
      return { ...base, onsetDay: onset, simulatorFaults: [{ kind: 'thermostat-stuck-open', onsetDays: onset, rate: 1 }] };
    }
    case 'fuel-economy-loss': {
      const onset = onsetBefore(21);
      const ratePctPerWeek = (15 * 7) / (failureDay - onset);
      return { ...base, onsetDay: onset, simulatorFaults: [{ kind: 'fuel-economy-loss', onsetDays: onset, rate: ratePctPerWeek }] };
    }
    case 'fast-tire-wear':
    case 'uneven-tire-wear': {
      const fast = d.fault === 'fast-tire-wear';
      const multiplier = fast ? random.uniform(2.5, 6) : random.uniform(2, 4);
      const onset = Math.round(random.uniform(0, Math.min(20, failureDay / 3)));
      // Tread that reaches 1.6 mm on the failure day at the usage's typical distance (the front-left wheel
      // wears fastest in both cases); the truth is measured, this only aims.
      const wearPerDay = profile.wearPerKmMm.FL * kmPerDay;
      const startTreadMm = clamp(LEGAL_TREAD_MM + wearPerDay * (onset + multiplier * (failureDay - onset)), 3.2, 8.5);
      return {
        ...base,
        onsetDay: onset,
        startTreadMm,
        simulatorFaults: [{ kind: d.fault, onsetDays: onset, rate: multiplier }],
      };
    }
    case 'slow-leak': {
      const onset = onsetBefore(20);
      const rate = (profile.coldPressureKpa.RR - FAILED_PRESSURE_KPA) / (failureDay - onset);
      return { ...base, onsetDay: onset, simulatorFaults: [{ kind: 'slow-leak', onsetDays: onset, rate }] };
    }
    case 'coolant-step': {
      const onset = Math.round(random.uniform(Math.min(14, days / 4), days - Math.min(20, days / 3)));
      return { ...base, onsetDay: onset, simulatorFaults: [{ kind: 'coolant-step', onsetDays: onset, rate: random.uniform(8, 13) }] };
    }
    case 'overheat-spikes': {
      // Spikes per driving hour grow linearly from the onset and reach the fail-for-good rate on the line day.
      const onset = onsetBefore(20);
      const rate = SPIKES_FAIL_FOR_GOOD_PER_HOUR / Math.max(1, failureDay - onset);
      return { ...base, onsetDay: onset, simulatorFaults: [{ kind: 'overheat-spikes', onsetDays: onset, rate }] };
    }
    case 'slow-leak-3kpa': {
      const onset = Math.round(random.uniform(Math.min(10, days / 4), days - Math.min(20, days / 3)));
      return { ...base, onsetDay: onset, simulatorFaults: [{ kind: 'slow-leak', onsetDays: onset, rate: 3 }] };
    }
    case 'oil-service-overdue':
      return { ...base, onsetDay: 0, lastOilChange: overdueOilChange(d.epoch, profile.startOdometerKm, kmPerDay, failureDay, random) };
  }
}

/** Healthy cars had their oil changed in the last month. */
function recentOilChange(epoch: Date, startOdometerKm: number, random: SeededRandom): ServiceEvent {
  const daysAgo = random.uniform(1, 30);
  return { kind: 'OIL_CHANGE', performedAt: new Date(epoch.getTime() - daysAgo * DAY_MS), odometerKm: Math.round(startOdometerKm - daysAgo * 25) };
}

/** An oil change long enough ago to fall due around `dueDay`, by distance or by time. */
function overdueOilChange(epoch: Date, startOdometerKm: number, kmPerDay: number, dueDay: number, random: SeededRandom): ServiceEvent {
  const dueAt = new Date(epoch.getTime() + dueDay * DAY_MS);
  if (random.chance(0.5) || kmPerDay * dueDay >= OIL_INTERVAL.km) {
    // By distance: the interval's km are used up around the due day; the date is well inside 12 months.
    const kmBefore = Math.max(0, OIL_INTERVAL.km - kmPerDay * dueDay);
    const daysBefore = Math.min(kmBefore / kmPerDay, 300 - dueDay);
    return {
      kind: 'OIL_CHANGE',
      performedAt: new Date(epoch.getTime() - Math.max(1, daysBefore) * DAY_MS),
      odometerKm: Math.round(startOdometerKm - kmBefore),
    };
  }
  // By time: 12 months before the due day, with little distance since.
  const performedAt = new Date(dueAt);
  performedAt.setUTCMonth(performedAt.getUTCMonth() - OIL_INTERVAL.months);
  return { kind: 'OIL_CHANGE', performedAt, odometerKm: Math.round(startOdometerKm - random.uniform(1000, 4000)) };
}

const clamp = (x: number, low: number, high: number): number => Math.min(high, Math.max(low, x));
