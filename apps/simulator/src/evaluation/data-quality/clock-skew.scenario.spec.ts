import { planFleet } from '../fleet/fleet-plan.js';
import { EVALUATION_EPOCH } from '../maintenance-evaluation.runner.js';
import { evaluateClockSkew } from './clock-skew.scenario.js';

describe(evaluateClockSkew.name, () => {
  // Seed 23's low-mileage car 2 did not drive on the scenario's day: 47 parked samples, one message each
  // half hour. It lost its first five (the messages the estimate needed to settle): 42 of 47, 89 %.
  it('keeps every sample of a parked car whose clock is 2 h ahead, on our clock to the second', () => {
    const plan = planFleet({ seed: 23, vehicles: 60, days: 120, epoch: EVALUATION_EPOCH }).find((p) => p.vin === 'EVAL0023000000002');
    if (plan === undefined) throw new Error('seed 23 has no vehicle EVAL0023000000002');
    expect(plan).toMatchObject({ fault: null, usage: 'low-mileage' });

    const sut = evaluateClockSkew([plan], { seed: 23, epoch: EVALUATION_EPOCH });

    expect(sut.samples).toBe(47);
    expect(sut.kept).toBe(47);
    expect(sut.detected).toBe(1);
    expect(sut.maxErrorMs).toBeLessThanOrEqual(1_000);
  });
});
