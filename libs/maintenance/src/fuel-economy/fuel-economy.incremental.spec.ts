import type { VehicleHistory } from '../maintenance-model.js';
import { busyMonth, DAY, replayBothWays, scoreTimes, START } from '../common/incremental-replay.fixture.js';
import { FuelEconomyModel } from './fuel-economy.model.js';

const context: Omit<VehicleHistory, 'samples'> = {
  profile: { make: 'VW', model: 'Golf', year: 2019, fuelType: 'PETROL', oilServiceIntervalKm: 15000, oilServiceIntervalMonths: 12 },
  tireReadings: [],
  serviceEvents: [],
};

describe(`${FuelEconomyModel.name} incrementally`, () => {
  const sut = new FuelEconomyModel();

  it('decides day by day from its saved summary exactly as from the whole window', () => {
    // As new for two weeks, then 12 % more fuel for the same driving: baseline, loss and findings move.
    const samples = busyMonth({ days: 40, fuelFactor: (d) => (d < 14 ? 1 : 1.12) });

    const steps = replayBothWays(sut, context, samples, scoreTimes(1, 40));

    for (const { incremental, full, now } of steps) {
      const at = now.toISOString();
      expect({ at, risk: incremental.assessment.risk }).toEqual({ at, risk: full.assessment.risk });
      expect(incremental.assessment.findings).toEqual(full.assessment.findings);
      expect(incremental.assessment.evidence).toEqual(full.assessment.evidence);
      expect(incremental.assessment.dueAt).toEqual(full.assessment.dueAt);
      expect(incremental.state).toEqual(full.state);
    }
    expect(steps[steps.length - 1].full.assessment.findings.map((f) => f.code)).toContain('FUEL_ECONOMY_DEGRADED');
  });

  it('relearns after an air filter change from the days after it, both ways alike', () => {
    const samples = busyMonth({ days: 36, fuelFactor: (d) => (d < 20 ? 1 : 1.2) });
    // Changed at 10:00 on 22 October: that day had driving before it, so (per-day summary) the new
    // baseline starts the day after.
    const performedAt = new Date(START + 21 * DAY + 10 * 3_600_000);
    const serviced = { ...context, serviceEvents: [{ kind: 'AIR_FILTER' as const, performedAt }] };

    const steps = replayBothWays(sut, serviced, samples, scoreTimes(1, 36));

    for (const { incremental, full } of steps) expect(incremental.assessment).toEqual(full.assessment);
    const last = steps[steps.length - 1].full;
    expect(last.state.resetAt).toBe(performedAt.toISOString());
    expect(last.state.baseline?.fromDay).toBe('2026-10-23');
  });

  it('keeps the saved summary of a busy month bounded (per day: cell counts and the regression moments)', () => {
    const samples = busyMonth({ days: 31 });

    const [last] = replayBothWays(sut, context, samples, [new Date(samples[samples.length - 1].ts.getTime() + 1)]);

    // Per day 22 cell counts, 45 + 9 moments (7 significant digits once the day is over) and 5 counters:
    // at most ~1 KB a day, ~700 bytes for a busy day. Hard bound ~32 KB for 31 days plus the open run.
    expect(last.savedJson.length).toBeLessThan(24_000);
  });

  it('carries a stuck fuel-rate reading across drives and leaves its readings out', () => {
    const samples = busyMonth({ days: 14 }).map((p, i) => (i > 3000 && p.fuelRateLph !== undefined ? { ...p, fuelRateLph: 9.99 } : p));

    const steps = replayBothWays(sut, context, samples, scoreTimes(8, 14));

    expect(steps[steps.length - 1].incremental.assessment.findings.map((f) => f.code)).toContain('FUEL_RATE_SENSOR_STUCK');
    for (const { incremental, full } of steps) expect(incremental.assessment).toEqual(full.assessment);
  });
});
