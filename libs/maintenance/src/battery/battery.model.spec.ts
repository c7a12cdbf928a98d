import fc from 'fast-check';
import type { ServiceEvent, TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import { riskRank } from '../common/risk-scale.js';
import { BatteryModel, type BatteryState } from './battery.model.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);

interface BatteryDay {
  restingV: number;
  /** null: the device missed the dip (its first reading after the start is already charging). */
  crankV: number | null;
  chargingV: number;
}

const healthy: BatteryDay = { restingV: 12.65, crankV: 10.5, chargingV: 14.2 };

/**
 * One drive: an ignition-on reading with the engine off (after a night or a working day parked),
 * the cranking reading a second later, then 40 minutes of running every 10 s.
 */
function drive(startMs: number, day: BatteryDay, noise: () => number): TelemetryPoint[] {
  const points: TelemetryPoint[] = [{ ts: new Date(startMs - 2000), rpm: 0, speedKph: 0, batteryV: round2(day.restingV + noise()) }];
  if (day.crankV !== null) points.push({ ts: new Date(startMs), rpm: 250, speedKph: 0, batteryV: round2(day.crankV + noise()) });
  for (let t = 10_000; t <= 40 * 60_000; t += 10_000)
    points.push({ ts: new Date(startMs + t), rpm: 2000, speedKph: 50, batteryV: round2(day.chargingV + noise()) });
  return points;
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

function days(count: number, day: (d: number) => BatteryDay, noise: () => number = () => 0, fromDay = 0): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  for (let d = fromDay; d < fromDay + count; d++)
    for (const hour of [7, 17]) points.push(...drive(START + d * DAY + hour * 3_600_000, day(d), noise));
  return points;
}

function history(samples: TelemetryPoint[], serviceEvents: ServiceEvent[] = []): VehicleHistory {
  return {
    profile: { make: 'Ford', model: 'Focus', year: 2017, fuelType: 'DIESEL', oilServiceIntervalKm: 20000, oilServiceIntervalMonths: 12 },
    samples,
    tireReadings: [],
    serviceEvents,
  };
}

function seeded(seed: number, amplitude: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * amplitude;
  };
}

const endOf = (n: number): Date => new Date(START + n * DAY);

describe(BatteryModel.name, () => {
  const sut = new BatteryModel();

  it('reports a healthy battery and alternator as OK, with the readings as evidence', () => {
    const { assessment, state } = sut.assess(history(days(30, () => healthy, seeded(1, 0.03))), undefined, endOf(30));

    expect(assessment.risk).toBe('OK');
    expect(assessment.findings).toEqual([]);
    expect(assessment.health).toBeGreaterThanOrEqual(95);
    expect(assessment.evidence).toMatchObject({
      restingV: expect.closeTo(12.65, 1),
      crankDipV: expect.closeTo(10.5, 1),
      chargingV: expect.closeTo(14.2, 1),
    });
    expect(state.baseline?.crankV).toBeCloseTo(10.5, 1);
  });

  it('forecasts when a resting voltage losing 0.01 V a day reaches 12.0 V (hand-computed: 20.5 days)', () => {
    // Resting 12.5 - 0.01 d; now is day 30.0, i.e. d = 29.5 on the line: 12.205 V, (12.205 - 12.0) / 0.01 = 20.5.
    const now = endOf(30);
    const { assessment } = sut.assess(history(days(30, (d) => ({ ...healthy, restingV: 12.5 - 0.01 * d }))), undefined, now);

    expect(assessment.risk).toBe('WATCH');
    expect(((assessment.dueAt?.getTime() ?? 0) - now.getTime()) / DAY).toBeCloseTo(20.5, 1);
    expect(assessment.findings[0]).toMatchObject({ code: 'BATTERY_LOW_CHARGE', params: { daysToLow: 21 } });
    expect(assessment.confidence).toMatchObject({ kind: 'interval', unit: 'days' });
  });

  it.each([
    [{ restingV: 12.1 }, 'BATTERY_LOW_CHARGE', 'WATCH'],
    [{ restingV: 11.9 }, 'BATTERY_LOW_CHARGE', 'SOON'],
    [{ restingV: 11.6 }, 'BATTERY_LOW_CHARGE', 'URGENT'],
    [{ crankV: 9.2 }, 'BATTERY_WEAK_CRANKING', 'SOON'],
    [{ crankV: 8.2 }, 'BATTERY_WEAK_CRANKING', 'URGENT'],
    [{ chargingV: 12.5 }, 'CHARGING_VOLTAGE_LOW', 'URGENT'],
    [{ chargingV: 13.0 }, 'CHARGING_VOLTAGE_LOW', 'WATCH'],
    [{ chargingV: 15.3 }, 'CHARGING_VOLTAGE_HIGH', 'URGENT'],
  ])('reads %j as %s at %s', (change, code, risk) => {
    const { assessment } = sut.assess(history(days(10, () => ({ ...healthy, ...change }))), undefined, endOf(10));

    expect(assessment.findings).toEqual([expect.objectContaining({ code, risk })]);
    expect(assessment.risk).toBe(risk);
  });

  it('notices cranking that dropped a volt from its own baseline', () => {
    const previous = sut.assess(history(days(7, () => ({ ...healthy, crankV: 11.2 }))), undefined, endOf(7)).state;

    const { assessment } = sut.assess(history(days(7, () => ({ ...healthy, crankV: 10.1 }), undefined, 7)), previous, endOf(14));

    expect(assessment.findings).toEqual([
      expect.objectContaining({ code: 'BATTERY_WEAK_CRANKING', risk: 'WATCH', params: { crankV: 10.1, baselineCrankV: 11.2 } }),
    ]);
  });

  it('forgets the old battery after a replacement', () => {
    const previous: BatteryState = { baseline: { restingV: 12.2, crankV: 9.0, fromDay: '2026-09-01', daysUsed: 7 }, resetAt: null };
    const samples = days(20, (d) => (d < 10 ? { ...healthy, restingV: 11.7, crankV: 8.0 } : healthy));
    const replaced: ServiceEvent = { kind: 'BATTERY_REPLACEMENT', performedAt: new Date(START + 10 * DAY) };

    const { assessment, state } = sut.assess(history(samples, [replaced]), previous, endOf(20));

    expect(assessment.risk).toBe('OK');
    expect(state.baseline?.crankV).toBeCloseTo(10.5, 5);
    expect(state.resetAt).toBe(replaced.performedAt.toISOString());
  });

  it('does not invent a cranking dip the device did not capture', () => {
    const { assessment } = sut.assess(history(days(10, () => ({ ...healthy, crankV: null }))), undefined, endOf(10));

    expect(assessment.evidence.crankDipV).toBeNull();
    expect(assessment.risk).toBe('OK');
  });

  it('ignores a voltage reading that is identical with the engine off and running', () => {
    const samples = days(5, () => healthy).map((p) => ({ ...p, batteryV: 11.7 }));

    const { assessment } = sut.assess(history(samples), undefined, endOf(5));

    expect(assessment.findings.map((f) => f.code)).toEqual(['BATTERY_SENSOR_STUCK']);
    expect(assessment.confidence.kind).toBe('insufficient-data');
  });

  it('says so with too little history and stays at WATCH at most', () => {
    const { assessment } = sut.assess(history(days(2, () => ({ ...healthy, restingV: 11.5 }))), undefined, endOf(2));

    expect(assessment.confidence.kind).toBe('insufficient-data');
    expect(assessment.risk).toBe('WATCH');
    expect(assessment.dueAt).toBeUndefined();
  });

  describe('properties', () => {
    it('never calls a healthy, stationary battery URGENT or worse', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 12.25, max: 12.8, noNaN: true }),
          fc.double({ min: 0, max: 0.1, noNaN: true }),
          fc.integer({ min: 1, max: 1e6 }),
          fc.integer({ min: 1, max: 30 }),
          (restingV, noise, seed, n) => {
            const { assessment } = sut.assess(history(days(n, () => ({ ...healthy, restingV }), seeded(seed, noise))), undefined, endOf(n));
            expect(riskRank(assessment.risk)).toBeLessThan(riskRank('URGENT'));
          },
        ),
        { numRuns: 30 },
      );
    });

    it('never lowers the risk when the battery declines faster', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 0.03, noNaN: true }),
          fc.double({ min: 0, max: 0.03, noNaN: true }),
          fc.integer({ min: 1, max: 1e6 }),
          (a, b, seed) => {
            const [small, large] = a <= b ? [a, b] : [b, a];
            const run = (perDay: number) =>
              sut.assess(
                history(days(30, (d) => ({ restingV: 12.7 - perDay * d, crankV: 10.6 - 2 * perDay * d, chargingV: 14.2 }), seeded(seed, 0.03))),
                undefined,
                endOf(30),
              ).assessment.risk;
            expect(riskRank(run(large))).toBeGreaterThanOrEqual(riskRank(run(small)));
          },
        ),
        { numRuns: 30 },
      );
    });
  });
});
