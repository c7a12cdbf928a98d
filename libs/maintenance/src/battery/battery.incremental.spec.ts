import type { VehicleHistory } from '../maintenance-model.js';
import { busyMonth, replayBothWays, scoreTimes } from '../common/incremental-replay.fixture.js';
import { BatteryModel } from './battery.model.js';

const context: Omit<VehicleHistory, 'samples'> = {
  profile: { make: 'Ford', model: 'Focus', year: 2017, fuelType: 'DIESEL', oilServiceIntervalKm: 20000, oilServiceIntervalMonths: 12 },
  tireReadings: [],
  serviceEvents: [],
};

describe(`${BatteryModel.name} incrementally`, () => {
  const sut = new BatteryModel();

  it('decides day by day from its saved summary exactly as from the whole window', () => {
    // Healthy for three weeks, then the battery stops holding charge: the forecast and findings move.
    const samples = busyMonth({ days: 45, restingV: (d) => (d < 20 ? 12.62 : 12.62 - 0.03 * (d - 20)) });

    const steps = replayBothWays(sut, context, samples, scoreTimes(1, 45));

    for (const { incremental, full, now } of steps) {
      const at = now.toISOString();
      expect({ at, risk: incremental.assessment.risk }).toEqual({ at, risk: full.assessment.risk });
      expect(incremental.assessment.findings).toEqual(full.assessment.findings);
      expect(incremental.assessment.evidence).toEqual(full.assessment.evidence);
      expect(incremental.assessment.dueAt).toEqual(full.assessment.dueAt);
      expect(incremental.state).toEqual(full.state);
    }
    expect(steps.map((s) => s.full.assessment.risk)).toContain('SOON');
  });

  it('keeps the saved summary of a busy month small (per day: two histograms, a few dips)', () => {
    const samples = busyMonth({ days: 31 });

    const [last] = replayBothWays(sut, context, samples, [new Date(samples[samples.length - 1].ts.getTime() + 1)]);

    // Hard bound: 31 days x (2 histograms of at most MAX_VOLTAGE_BINS bins, 48 dips) + 64 stuck runs;
    // a typical day holds ~10 resting bins and one charging median: ~200 bytes.
    expect(last.savedJson.length).toBeLessThan(8_000);
  });

  it('carries a stuck reading across segments and days and leaves its readings out', () => {
    const samples = busyMonth({ days: 12 }).map((p, i) => (i > 2500 ? { ...p, batteryV: 11.7 } : p));

    const steps = replayBothWays(sut, context, samples, scoreTimes(5, 12));

    const last = steps[steps.length - 1];
    expect(last.incremental.assessment.findings.map((f) => f.code)).toEqual(['BATTERY_SENSOR_STUCK']);
    for (const { incremental, full } of steps) expect(incremental.assessment).toEqual(full.assessment);
  });
});
