import { addMonths, type WheelPosition } from '#app/maintenance';
import type { EvaluatedFault } from '../fleet/evaluated-fault.js';
import { DAY_MS, type DayRecord, type VehicleRun } from '../replay/vehicle-replay.js';
import { OIL_INTERVAL } from '../fleet/fleet-plan.js';

export const FAILURE_LINES = { coolantC: 105, fuelFactor: 1.15, legalTreadMm: 1.6, recommendedTreadMm: 3.0, pressureKpa: 150 } as const;
const WHEELS: readonly WheelPosition[] = ['FL', 'FR', 'RL', 'RR'];

/**
 * The day (index) on which the vehicle's failure line is crossed, from the truth recorded at the end of
 * each day; null when it is not crossed within the run. For a stuck thermostat the onset is the failure.
 */
export function failureDay(run: VehicleRun): number | null {
  const { plan, days } = run;
  if (plan.fault === null) return null;
  if (plan.fault === 'thermostat-stuck-open' || plan.fault === 'coolant-step' || plan.fault === 'slow-leak-3kpa') return plan.onsetDay;
  const crossed = crossingTest(plan.fault, run);
  const index = days.findIndex(crossed);
  return index === -1 ? null : index;
}

function crossingTest(
  fault: Exclude<EvaluatedFault, 'thermostat-stuck-open' | 'coolant-step' | 'slow-leak-3kpa'>,
  run: VehicleRun,
): (d: DayRecord) => boolean {
  switch (fault) {
    case 'coolant-drift':
    case 'overheat-spikes':
      return (d) => d.truth.setPointC >= FAILURE_LINES.coolantC;
    case 'fuel-economy-loss':
      return (d) => d.truth.fuelFactor >= FAILURE_LINES.fuelFactor;
    case 'fast-tire-wear':
    case 'uneven-tire-wear': {
      const wheel = failingWheel(run);
      return (d) => d.truth.treadMm[wheel] <= FAILURE_LINES.legalTreadMm;
    }
    case 'slow-leak':
      return (d) => d.truth.coldPressureKpa.RR < FAILURE_LINES.pressureKpa;
    case 'oil-service-overdue':
      return (d) => oilDueAtMs(d, run.days) <= d.endMs;
  }
}

/** The wheel the tyre fault wears out first: front-left for misalignment, the most worn one otherwise. */
export function failingWheel(run: VehicleRun): WheelPosition {
  if (run.plan.fault === 'uneven-tire-wear') return 'FL';
  const last = run.days[run.days.length - 1].truth.treadMm;
  return WHEELS.reduce((a, b) => (last[b] < last[a] ? b : a));
}

/**
 * When the oil falls due, in ms: the calendar limit, or the moment the odometer passes the distance
 * limit (linear within the day it is passed), whichever comes first. Past the recorded days the
 * odometer is extrapolated at the run's mean daily distance, so a reminder for a due date just after
 * the run is judged against that date.
 */
export function oilDueAtMs(at: DayRecord, days: readonly DayRecord[]): number {
  const base = at.oilBaseline;
  const byTime = addMonths(base.at, OIL_INTERVAL.months).getTime();
  const dueKm = base.km + OIL_INTERVAL.km;
  for (let i = 0; i < days.length; i++) {
    const d = days[i];
    if (d.oilBaseline.at.getTime() !== base.at.getTime() || d.truth.odometerKm < dueKm) continue;
    const previous = i > 0 ? days[i - 1].truth.odometerKm : d.truth.odometerKm;
    const fraction = d.truth.odometerKm > previous ? (dueKm - previous) / (d.truth.odometerKm - previous) : 1;
    return Math.min(byTime, d.endMs - DAY_MS + Math.max(0, Math.min(1, fraction)) * DAY_MS);
  }
  const last = days[days.length - 1];
  const kmPerDay = (last.truth.odometerKm - days[0].truth.odometerKm) / days.length;
  const byDistance = kmPerDay > 0 ? last.endMs + ((dueKm - last.truth.odometerKm) / kmPerDay) * DAY_MS : Infinity;
  return Math.min(byTime, byDistance);
}
