import fc from 'fast-check';
import type { ServiceEvent, TelemetryPoint, VehicleHistory, VehicleProfile } from '../maintenance-model.js';
import { riskRank } from '../common/risk-scale.js';
import { FuelEconomyModel, type FuelEconomyState } from './fuel-economy.model.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);

interface Mix {
  idleMinutes: number;
  cityMinutes: number;
  highwayMinutes: number;
}

const usualMix: Mix = { idleMinutes: 6, cityMinutes: 24, highwayMinutes: 30 };

/** A car whose fuel rate depends on speed and acceleration only, times `factor` (1 = as new). */
function fuelRate(speedKph: number, accel: number, factor: number): number {
  const base = speedKph < 3 ? 0.8 : 1.0 + 0.0008 * speedKph * speedKph + Math.max(0, accel) * 4;
  return base * factor;
}

/** One drive: idling, then stop-and-go city traffic (0-50 km/h waves), then motorway at ~100 km/h. */
function drive(startMs: number, mix: Mix, factor: number, noise: () => number = () => 0): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  const total = (mix.idleMinutes + mix.cityMinutes + mix.highwayMinutes) * 60;
  let previousSpeed = 0;
  for (let t = 0; t < total; t += 10) {
    let speed = 0;
    if (t >= mix.idleMinutes * 60 && t < (mix.idleMinutes + mix.cityMinutes) * 60) speed = 25 - 25 * Math.cos((2 * Math.PI * t) / 120);
    else if (t >= (mix.idleMinutes + mix.cityMinutes) * 60) speed = 100 + 4 * Math.sin(t / 300);
    const accel = (speed - previousSpeed) / 3.6 / 10;
    previousSpeed = speed;
    const lph = fuelRate(speed, accel, factor) * (1 + noise());
    points.push({
      ts: new Date(startMs + t * 1000),
      rpm: speed < 3 ? 750 : 2000,
      speedKph: Math.round(speed * 10) / 10,
      fuelRateLph: Math.round(lph * 1000) / 1000,
    });
  }
  return points;
}

function days(
  count: number,
  factor: (day: number) => number,
  mix: (day: number) => Mix = () => usualMix,
  noise?: () => number,
  fromDay = 0,
): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  for (let d = fromDay; d < fromDay + count; d++)
    for (const hour of [7, 18]) points.push(...drive(START + d * DAY + hour * 3_600_000, mix(d), factor(d), noise));
  return points;
}

const petrol: VehicleProfile = {
  make: 'VW',
  model: 'Golf',
  year: 2019,
  fuelType: 'PETROL',
  oilServiceIntervalKm: 15000,
  oilServiceIntervalMonths: 12,
};

function history(samples: TelemetryPoint[], serviceEvents: ServiceEvent[] = [], profile: VehicleProfile = petrol): VehicleHistory {
  return { profile, samples, tireReadings: [], serviceEvents };
}

function seeded(seed: number, amplitude: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * amplitude;
  };
}

const endOf = (n: number): Date => new Date(START + n * DAY);

describe(FuelEconomyModel.name, () => {
  const sut = new FuelEconomyModel();

  it('reports a car that drives as it always did as OK, about 0 % off its baseline', () => {
    const { assessment, state } = sut.assess(history(days(30, () => 1, undefined, seeded(5, 0.05))), undefined, endOf(30));

    expect(assessment.risk).toBe('OK');
    expect(assessment.findings).toEqual([]);
    expect(state.baseline?.daysUsed).toBe(10);
    expect(Math.abs((assessment.evidence.degradationPct as { value: number }).value)).toBeLessThan(2);
  });

  it('measures a 12 % step in consumption as 12 % degradation, SOON (hand-computed)', () => {
    // Every sample burns 1.12 x what it burned in the baseline week, so each later day is 1.12 x a baseline day.
    const { assessment } = sut.assess(history(days(30, (d) => (d < 10 ? 1 : 1.12))), undefined, endOf(30));

    expect(assessment.risk).toBe('SOON');
    const finding = assessment.findings.find((f) => f.code === 'FUEL_ECONOMY_DEGRADED');
    expect(finding?.params.degradationPct).toBeCloseTo(12, 5);
    expect(finding?.params.low90 as number).toBeGreaterThan(10);
  });

  it('does not call more city driving and idling a degradation (stays within 2 %)', () => {
    const heavyTraffic: Mix = { idleMinutes: 20, cityMinutes: 35, highwayMinutes: 5 };
    const { assessment } = sut.assess(
      history(
        days(
          30,
          () => 1,
          (d) => (d < 10 ? usualMix : heavyTraffic),
        ),
      ),
      undefined,
      endOf(30),
    );

    expect(assessment.risk).toBe('OK');
    expect(assessment.findings.map((f) => f.code)).toEqual(['DRIVING_PATTERN_CHANGED']);
    // Not exactly 0: a cell's median is not its mean, and a new mix weighs the cells differently.
    expect(Math.abs((assessment.evidence.degradationPct as { value: number }).value)).toBeLessThan(2);
  });

  it('forecasts when a steady rise reaches 15 % loss', () => {
    // Consumption 1 + 0.004 d. The baseline is days 0-9; a least-squares fit with an intercept reproduces
    // their mean factor, 1.018, so day d reads (1 + 0.004 d) / 1.018. Now is day 29.5 on that line:
    // (1.15 * 1.018 - 1.118) / 0.004 = 13.17 days.
    const now = endOf(30);
    const { assessment } = sut.assess(history(days(30, (d) => 1 + 0.004 * d)), undefined, now);

    expect(((assessment.dueAt?.getTime() ?? 0) - now.getTime()) / DAY).toBeCloseTo(13.17, 1);
    expect(assessment.confidence).toMatchObject({ kind: 'interval', unit: 'days' });
    expect(riskRank(assessment.risk)).toBeGreaterThanOrEqual(riskRank('SOON'));
  });

  it('keeps its baseline across runs and drops it after an air filter change', () => {
    const first = sut.assess(history(days(10, () => 1)), undefined, endOf(10)).state;
    const worse = sut.assess(history(days(10, () => 1.25, undefined, undefined, 10)), first, endOf(20));
    expect(worse.state.baseline).toEqual(first.baseline);
    expect(worse.assessment.risk).toBe('URGENT');

    const serviced: ServiceEvent = { kind: 'AIR_FILTER', performedAt: new Date(START + 10 * DAY) };
    const after = sut.assess(
      history(
        days(10, () => 1.25, undefined, undefined, 10),
        [serviced],
      ),
      first,
      endOf(20),
    );
    expect(after.state.resetAt).toBe(serviced.performedAt.toISOString());
    expect(after.assessment.risk).toBe('OK');
  });

  it('does not call a day of waiting with the engine running a loss (steady idling is its own term)', () => {
    // The baseline idles 6 minutes a drive; later drives idle 40. Stopping briefly in traffic (mostly
    // braking, fuel cut) and standing for minutes burn differently, and only the second grew.
    const waiting: Mix = { idleMinutes: 40, cityMinutes: 24, highwayMinutes: 30 };
    const { assessment } = sut.assess(
      history(
        days(
          30,
          () => 1,
          (d) => (d < 12 ? usualMix : waiting),
        ),
      ),
      undefined,
      endOf(30),
    );

    expect(assessment.risk).toBe('OK');
    expect(Math.abs((assessment.evidence.degradationPct as { value: number }).value)).toBeLessThan(3);
  });

  it('does not raise SOON on a small loss with a noisy upward slope', () => {
    // Days scatter +-6 % around a slow rise that ends near 4 %: a slope through them can point at 15 %
    // within weeks, but a loss whose 90 % lower bound is under 5 % is at most worth watching.
    const dayNoise = seeded(11, 0.06);
    const factors = Array.from({ length: 30 }, (_, d) => (d < 10 ? 1 : 1 + 0.002 * (d - 10) + dayNoise()));
    const { assessment } = sut.assess(history(days(30, (d) => factors[d])), undefined, endOf(30));

    expect(riskRank(assessment.risk)).toBeLessThanOrEqual(riskRank('WATCH'));
    expect((assessment.evidence.degradationPct as { low90: number }).low90).toBeLessThan(5);
  });

  it('learns its baseline from its full first ten days, not from the first few', () => {
    const early = sut.assess(history(days(6, () => 1)), undefined, endOf(6));
    expect(early.state.baseline).toBeNull();

    const { state } = sut.assess(history(days(12, () => 1)), early.state, endOf(12));
    expect(state.baseline).toMatchObject({ daysUsed: 10, fromDay: '2026-10-01', toDay: '2026-10-10' });
  });

  it('detects a 12 % step on a car driven every third day (baseline within its three-week span)', () => {
    const samples = Array.from({ length: 20 }, (_, i) => i * 3).flatMap((d) => days(1, () => (d < 30 ? 1 : 1.12), undefined, undefined, d));
    // The models decide from the last 30 days (the summary horizon): the baseline the first month
    // taught is carried in the state, as the scorer carries it from one score to the next.
    const firstMonth = sut.assess(history(samples.filter((p) => p.ts < endOf(30))), undefined, endOf(30));
    expect(firstMonth.state.baseline).toMatchObject({ daysUsed: 7, fromDay: '2026-10-01', toDay: '2026-10-19' });

    const { assessment, state } = sut.assess(history(samples), firstMonth.state, endOf(60));

    expect(state.baseline).toMatchObject({ daysUsed: 7, fromDay: '2026-10-01', toDay: '2026-10-19' });
    expect(assessment.risk).toBe('SOON');
    expect((assessment.evidence.degradationPct as { value: number }).value).toBeCloseTo(12, 0);
  });

  it("compares a day only when 80 % of its driving is in the baseline's cells (the rest is extrapolated)", () => {
    // A city-only baseline; afterwards 12 of 40 minutes (30 %) or 6 of 40 (15 %) at ~100 km/h, a speed it never saw.
    const city: Mix = { idleMinutes: 6, cityMinutes: 24, highwayMinutes: 0 };
    const withMotorway = (minutes: number) => (d: number) => (d < 10 ? city : { idleMinutes: 4, cityMinutes: 36 - minutes, highwayMinutes: minutes });
    const ratioDays = (minutes: number) =>
      (
        sut.assess(history(days(30, () => 1, withMotorway(minutes))), undefined, endOf(30)).assessment.evidence.dailyRatios as {
          day: string;
          coverage: number;
        }[]
      ).filter((r) => r.day > '2026-10-10');

    expect(ratioDays(12)).toEqual([]);
    const compared = ratioDays(6);
    expect(compared).toHaveLength(20);
    expect(compared.every((r) => r.coverage >= 0.8)).toBe(true);
  });

  it('says there is nothing to assess on an electric car', () => {
    const { assessment } = sut.assess(history([], [], { ...petrol, fuelType: 'ELECTRIC' }), undefined, endOf(1));

    expect(assessment.confidence).toMatchObject({ kind: 'insufficient-data' });
    expect(assessment.risk).toBe('OK');
  });

  it('says so with too little history and makes no forecast', () => {
    const { assessment } = sut.assess(history(days(4, (d) => 1 + 0.1 * d)), undefined, endOf(4));

    expect(assessment.confidence.kind).toBe('insufficient-data');
    expect(assessment.dueAt).toBeUndefined();
    expect(riskRank(assessment.risk)).toBeLessThanOrEqual(riskRank('WATCH'));
  });

  it('ignores a fuel-rate reading stuck for hours', () => {
    const samples = days(12, () => 1).map((p, i) => (i > 4000 ? { ...p, fuelRateLph: 9.99 } : p));
    const previous: FuelEconomyState | undefined = undefined;

    const { assessment } = sut.assess(history(samples), previous, endOf(12));

    expect(assessment.findings).toContainEqual(expect.objectContaining({ code: 'FUEL_RATE_SENSOR_STUCK' }));
    expect(assessment.findings.map((f) => f.code)).not.toContain('FUEL_ECONOMY_DEGRADED');
  });

  describe('properties', () => {
    const short: Mix = { idleMinutes: 3, cityMinutes: 10, highwayMinutes: 12 };

    it('never calls a stationary car URGENT or worse', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 0.1, noNaN: true }),
          fc.integer({ min: 1, max: 1e6 }),
          fc.integer({ min: 1, max: 30 }),
          (noise, seed, n) => {
            const { assessment } = sut.assess(
              history(
                days(
                  n,
                  () => 1,
                  () => short,
                  seeded(seed, noise),
                ),
              ),
              undefined,
              endOf(n),
            );
            expect(riskRank(assessment.risk)).toBeLessThan(riskRank('URGENT'));
          },
        ),
        { numRuns: 30 },
      );
    });

    it('never lowers the risk when consumption drifts up faster', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 0.01, noNaN: true }),
          fc.double({ min: 0, max: 0.01, noNaN: true }),
          fc.integer({ min: 1, max: 1e6 }),
          (a, b, seed) => {
            const [small, large] = a <= b ? [a, b] : [b, a];
            const run = (perDay: number) =>
              sut.assess(
                history(
                  days(
                    30,
                    (d) => 1 + perDay * d,
                    () => short,
                    seeded(seed, 0.05),
                  ),
                ),
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
