// Data-quality kinds "odometer jump" and "odometer rollback": healthy cars whose dongle's odometer
// jumps by +100,000 km, or is reset to ~0 (a cluster swap), on one day. The event must be reported
// (in the tyre / service-schedule evidence) and must raise no alert: recall = cars whose event was
// reported within a day; false alerts = SOON-or-worse days on the distance models after the event.
import { RISKS } from '#app/maintenance';
import type { TelemetrySample } from '#app/telemetry';
import type { VehiclePlan } from '../fleet/fleet-plan.js';
import { DAY_MS, replayVehicle } from '../replay/vehicle-replay.js';

export const ODOMETER_EVENT_KINDS = ['odometer-jump', 'odometer-rollback'] as const;
export type OdometerEventKind = (typeof ODOMETER_EVENT_KINDS)[number];

export interface DataQualityKindResult {
  kind: string;
  cars: number;
  /** Cars whose event the platform reported (or whose samples it kept, for clock skew). */
  detected: number;
  /** Days from the event to its first report, per detected car. */
  detectionDelayDays: number[];
  vehicleDays: number;
  /** SOON-or-worse onsets on the affected components after the event, and how many of them URGENT or worse. */
  falseAlerts: number;
  falseUrgent: number;
}

const DISTANCE_COMPONENTS = ['TIRES', 'SERVICE_SCHEDULE'] as const;

function odometerFault(kind: OdometerEventKind, eventMs: number): (samples: TelemetrySample[]) => TelemetrySample[] {
  let shift: number | undefined;
  return (samples) =>
    samples.map((s) => {
      if (s.ts.getTime() < eventMs || s.odometerKm === undefined) return s;
      // A rollback resets the cluster to 12 km at the first reading after the event.
      shift ??= kind === 'odometer-jump' ? 100_000 : 12 - s.odometerKm;
      return { ...s, odometerKm: Math.max(0, s.odometerKm + shift) };
    });
}

/** SOON-or-worse onsets per component and day of a replay, to tell the event's alerts from the car's own. */
function alertOnsets(plan: VehiclePlan, options: { seed: number | string; epoch: Date; days: number }): Set<string> {
  const onsets = new Set<string>();
  const raised = new Map<string, boolean>();
  replayVehicle(plan, {
    ...options,
    onRecord: (record) => {
      for (const component of DISTANCE_COMPONENTS) {
        const on = RISKS.indexOf(record.components[component]?.risk ?? 'OK') >= RISKS.indexOf('SOON');
        if (on && raised.get(component) !== true) onsets.add(`${component}:${String(record.day)}`);
        raised.set(component, on);
      }
    },
  });
  return onsets;
}

/** Alerts within this many days of one the same car raises without the event are the car's own (an oil change due). */
const SAME_ALERT_DAYS = 3;

export function evaluateOdometerEvents(
  healthy: readonly VehiclePlan[],
  options: { seed: number | string; epoch: Date; days: number },
): DataQualityKindResult[] {
  const control = healthy.map((plan) => alertOnsets(plan, options));
  return ODOMETER_EVENT_KINDS.map((kind) => {
    const result: DataQualityKindResult = { kind, cars: 0, detected: 0, detectionDelayDays: [], vehicleDays: 0, falseAlerts: 0, falseUrgent: 0 };
    healthy.forEach((plan, index) => {
      // Spread over the run, leaving a month before (a baseline) and after (the 30-day window to pass).
      const eventDay = 30 + ((index * 11) % Math.max(1, options.days - 60));
      const eventMs = options.epoch.getTime() + eventDay * DAY_MS + 12 * 3_600_000;
      let reportedDay: number | undefined;
      const raised = new Map<string, boolean>();
      result.cars++;
      replayVehicle(
        plan,
        {
          ...options,
          onRecord: (record, evidence) => {
            // Before the event only follow what is raised: an alert already on when the event comes (an oil
            // change due days before it) is the car's own, not an onset the event caused.
            if (record.day < eventDay) {
              for (const component of DISTANCE_COMPONENTS)
                raised.set(component, RISKS.indexOf(record.components[component]?.risk ?? 'OK') >= RISKS.indexOf('SOON'));
              return;
            }
            result.vehicleDays++;
            const events = evidence.TIRES?.odometerEvents;
            if (reportedDay === undefined && Array.isArray(events) && events.length > 0) reportedDay = record.day;
            for (const component of DISTANCE_COMPONENTS) {
              const risk = record.components[component]?.risk ?? 'OK';
              const on = RISKS.indexOf(risk) >= RISKS.indexOf('SOON');
              const own = Array.from({ length: 2 * SAME_ALERT_DAYS + 1 }, (_, k) => record.day - SAME_ALERT_DAYS + k).some((d) =>
                control[index]?.has(`${component}:${String(d)}`),
              );
              if (on && raised.get(component) !== true && !own) {
                result.falseAlerts++;
                if (RISKS.indexOf(risk) >= RISKS.indexOf('URGENT')) result.falseUrgent++;
              }
              raised.set(component, on);
            }
          },
        },
        odometerFault(kind, eventMs),
      );
      if (reportedDay !== undefined && reportedDay - eventDay <= 1) {
        result.detected++;
        result.detectionDelayDays.push(reportedDay - eventDay);
      }
    });
    return result;
  });
}
