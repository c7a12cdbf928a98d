import { InvalidArgumentError } from '../cli/invalid-argument.error.js';
import { parseEvaluationOptions, selectVehicles } from './evaluation-options.js';
import { planFleet } from './fleet/fleet-plan.js';
import { EVALUATION_EPOCH } from './maintenance-evaluation.runner.js';

describe(parseEvaluationOptions.name, () => {
  it('reads --vins as a list and leaves it out when absent', () => {
    expect(parseEvaluationOptions(['--seed', '2', '--vins', 'EVAL0002000000039, EVAL0002000000016'], '/obd')).toMatchObject({
      seed: 2,
      vins: ['EVAL0002000000039', 'EVAL0002000000016'],
    });
    expect(parseEvaluationOptions([], '/obd')).not.toHaveProperty('vins');
    expect(() => parseEvaluationOptions(['--vins', 'EVAL0002000000039,'], '/obd')).toThrow(InvalidArgumentError);
  });
});

describe(selectVehicles.name, () => {
  // The cars a whole seed-2 run found (coolant step car 39, drift car 16) replay alone as they were planned.
  const plans = planFleet({ seed: 2, vehicles: 60, days: 120, epoch: EVALUATION_EPOCH });

  it('keeps the named vehicles of the plan, in plan order, exactly as planned', () => {
    const sut = selectVehicles(plans, ['EVAL0002000000039', 'EVAL0002000000016']);

    expect(sut.map((p) => [p.vin, p.fault, p.onsetDay])).toEqual([
      ['EVAL0002000000016', 'coolant-drift', 41],
      ['EVAL0002000000039', 'coolant-step', 95],
    ]);
    expect(selectVehicles(plans, undefined)).toBe(plans);
  });

  it('refuses a VIN the plan does not hold, naming it', () => {
    expect(() => selectVehicles(plans, ['EVAL0002000000039', 'EVAL0002000000099'])).toThrow(
      '--vins: EVAL0002000000099 not among the 60 planned vehicles',
    );
  });
});
