// Issue 12's "same answers": the evaluation fleet replayed day by day, every incremental model scored both
// ways at each day's end: in full (the whole 30-day window folded from nothing) and incrementally (from the
// summary saved the day before, through JSON as Postgres keeps it). 50 days cross the 30-day horizon, so
// pruning is exercised too.
import type { ComponentName } from '#app/maintenance';
import { planFleet } from '../fleet/fleet-plan.js';
import { EVALUATION_EPOCH } from '../maintenance-evaluation.runner.js';
import { replayVehicle, type ComponentDay } from './vehicle-replay.js';

interface Difference {
  vin: string;
  day: number;
  component: ComponentName;
  full: ComponentDay;
  incremental: ComponentDay;
}

describe('full and incremental scoring on the evaluation fleet', () => {
  const plans = planFleet({ seed: 2, vehicles: 10, days: 50, epoch: EVALUATION_EPOCH });
  let compared = 0;
  const riskDifferences: Difference[] = [];
  const alertDifferences: Difference[] = [];

  beforeAll(() => {
    for (const plan of plans) {
      replayVehicle(plan, {
        seed: 2,
        epoch: EVALUATION_EPOCH,
        days: 50,
        comparePaths: (day, component, full, incremental) => {
          compared++;
          const difference = { vin: plan.vin, day, component, full, incremental };
          if (full.risk !== incremental.risk) riskDifferences.push(difference);
          if (full.alerts.join() !== incremental.alerts.join()) alertDifferences.push(difference);
        },
      });
    }
  });

  it('compares every incremental model on every vehicle-day', () => {
    expect(compared).toBeGreaterThanOrEqual(plans.length * 50);
  });

  it('gives the same risk on at least 99.5 % of vehicle-days and components', () => {
    expect({ share: 1 - riskDifferences.length / compared, riskDifferences: riskDifferences.slice(0, 10) }).toEqual({
      share: expect.any(Number) as number,
      riskDifferences: riskDifferences.slice(0, 10),
    });
    expect(1 - riskDifferences.length / compared).toBeGreaterThanOrEqual(0.995);
  });

  it('raises no alert in one path that the other does not', () => {
    expect(alertDifferences).toEqual([]);
  });
});
