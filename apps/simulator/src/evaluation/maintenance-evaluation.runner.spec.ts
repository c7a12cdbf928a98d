import { obdDataDir } from '#app/config';
import type { EvaluationOptions } from './evaluation-options.js';
import { runMaintenanceEvaluation, type EvaluationOutcome } from './maintenance-evaluation.runner.js';
import { planFleet } from './fleet/fleet-plan.js';
import { replayVehicle } from './replay/vehicle-replay.js';
import { EVALUATION_EPOCH } from './maintenance-evaluation.runner.js';

const smallRun = (overrides: Partial<EvaluationOptions> = {}): EvaluationOptions => ({
  seed: 3,
  vehicles: 6,
  days: 60,
  threads: 1,
  obdDir: obdDataDir(),
  ...overrides,
});

describe(runMaintenanceEvaluation.name, () => {
  let sut: EvaluationOutcome;

  beforeAll(async () => {
    sut = await runMaintenanceEvaluation(smallRun());
  });

  it('ends its output with exactly one JSON object carrying the headline numbers', () => {
    const lines = sut.output.trimEnd().split('\n');
    const last = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;

    expect(Object.keys(last).sort()).toEqual([
      'falseAlertsPer1000VehicleDays',
      'falseUrgentOrWorse',
      'medianLeadDays',
      'minKindRecall',
      'realLogFlags',
      'recall',
      'tireForecastMape',
    ]);
    expect(last).toEqual(sut.summary);
    expect(lines.slice(0, -1).some((line) => line.startsWith('{'))).toBe(false);
  });

  it('gives sane values for a small fleet', () => {
    const { summary, fleet } = sut;

    // Six vehicles: three healthy, three faulty (one each of the first three fault kinds).
    expect(fleet.falseAlerts.vehicles).toBe(3);
    expect(fleet.falseAlerts.vehicleDays).toBe(3 * 60);
    expect(fleet.faults.reduce((n, f) => n + f.vehicles, 0)).toBe(3);
    expect(summary.recall).not.toBeNull();
    expect(summary.recall!).toBeGreaterThanOrEqual(0);
    expect(summary.recall!).toBeLessThanOrEqual(1);
    if (summary.medianLeadDays !== null) expect(summary.medianLeadDays).toBeGreaterThanOrEqual(1);
    expect(summary.falseAlertsPer1000VehicleDays).toBeGreaterThanOrEqual(0);
    if (summary.tireForecastMape !== null) expect(summary.tireForecastMape).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(summary.realLogFlags)).toBe(true);
    expect(sut.realLogs?.cars.map((c) => c.car)).toEqual([
      'carOBD Toyota Etios (5 logs, 5 days)',
      'cephasax control1',
      'cephasax control2',
      'cephasax control3',
      'cephasax control4',
    ]);
  });

  it('replays a vehicle identically for the same seed', () => {
    const [plan] = planFleet({ seed: 3, vehicles: 1, days: 5, epoch: EVALUATION_EPOCH });
    const first = replayVehicle(plan!, { seed: 3, epoch: EVALUATION_EPOCH, days: 5 });
    const again = replayVehicle(plan!, { seed: 3, epoch: EVALUATION_EPOCH, days: 5 });

    expect(again).toEqual(first);
    expect(first.days[4]!.truth.odometerKm).toBeGreaterThan(first.days[0]!.truth.odometerKm);
  });
});
