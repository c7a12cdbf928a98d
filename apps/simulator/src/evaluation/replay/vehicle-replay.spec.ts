import type { TelemetrySample } from '#app/telemetry';
import { planFleet } from '../fleet/fleet-plan.js';
import { EVALUATION_EPOCH } from '../maintenance-evaluation.runner.js';
import { DAY_MS, replayVehicle } from './vehicle-replay.js';

const JUMP_KM = 100_000;

describe(replayVehicle.name, () => {
  it("records a healthy car's oil change at the odometer its cluster showed, after a jump too", () => {
    const [healthy] = planFleet({ seed: 3, vehicles: 1, days: 3, epoch: EVALUATION_EPOCH });
    if (healthy === undefined || healthy.fault !== null) throw new Error('the first planned car is healthy');
    // The last change twelve months before day 2: the oil falls due by the calendar at the start of day 2.
    const dueAt = new Date(EVALUATION_EPOCH.getTime() + 2 * DAY_MS);
    const performedAt = new Date(dueAt);
    performedAt.setUTCMonth(performedAt.getUTCMonth() - 12);
    const plan = { ...healthy, lastOilChange: { ...healthy.lastOilChange, performedAt } };
    // The cluster jumps by 100,000 km at noon on day 0.
    const jumpMs = EVALUATION_EPOCH.getTime() + 12 * 3_600_000;
    const jump = (samples: TelemetrySample[]): TelemetrySample[] =>
      samples.map((s) => (s.ts.getTime() < jumpMs || s.odometerKm === undefined ? s : { ...s, odometerKm: s.odometerKm + JUMP_KM }));

    const run = replayVehicle(plan, { seed: 3, epoch: EVALUATION_EPOCH, days: 3 }, jump);

    expect(run.oilServiceDays).toEqual([2]);
    expect(run.oilChanges).toHaveLength(1);
    const trueKmAtService = run.days[1]?.truth.odometerKm ?? NaN;
    expect(Math.abs((run.oilChanges[0]?.odometerKm ?? NaN) - (trueKmAtService + JUMP_KM))).toBeLessThanOrEqual(1);
    // The interval itself is counted on the true distance the oil has done.
    expect(Math.abs((run.days[2]?.oilBaseline.km ?? NaN) - trueKmAtService)).toBeLessThanOrEqual(1);
  });
});
