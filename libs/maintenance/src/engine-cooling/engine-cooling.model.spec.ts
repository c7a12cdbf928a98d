import fc from 'fast-check';
import type { ServiceEvent, TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import { riskRank } from '../common/risk-scale.js';
import { EngineCoolingModel, type EngineCoolingState } from './engine-cooling.model.js';

const DAY = 86_400_000;
const MIN = 60_000;
const START = Date.UTC(2026, 9, 1);

interface DriveSpec {
  startMs: number;
  minutes: number;
  intervalS?: number;
  startC?: number;
  operatingC: number;
  warmupMinutes?: number;
  speedKph?: number;
  /** Amplitude of a deterministic +-wobble on the plateau (fan cycles). */
  wobbleC?: number;
  noise?: () => number;
}

/** One drive: a linear warm-up from startC to operatingC, then a plateau. */
function drive(spec: DriveSpec): TelemetryPoint[] {
  const interval = (spec.intervalS ?? 10) * 1000;
  const warmupMs = (spec.warmupMinutes ?? 6) * MIN;
  const startC = spec.startC ?? 20;
  const points: TelemetryPoint[] = [];
  for (let t = 0; t <= spec.minutes * MIN; t += interval) {
    const warm = Math.min(1, t / warmupMs);
    const wobble = (spec.wobbleC ?? 0) * Math.sin(t / 90_000);
    const coolant = startC + (spec.operatingC - startC) * warm + (warm >= 1 ? wobble + (spec.noise?.() ?? 0) : 0);
    points.push({ ts: new Date(spec.startMs + t), rpm: 2000, speedKph: spec.speedKph ?? 60, coolantTempC: Math.round(coolant * 10) / 10 });
  }
  return points;
}

/** `days` days with a morning and an evening drive; the operating temperature may change per day. */
function daysOfDriving(days: number, operatingC: (day: number) => number, overrides: Partial<DriveSpec> = {}): TelemetryPoint[] {
  const points: TelemetryPoint[] = [];
  for (let d = 0; d < days; d++) {
    for (const hour of [8, 17]) {
      points.push(...drive({ startMs: START + d * DAY + hour * 3_600_000, minutes: 60, operatingC: operatingC(d), ...overrides }));
    }
  }
  return points;
}

function history(samples: TelemetryPoint[], serviceEvents: ServiceEvent[] = []): VehicleHistory {
  return {
    profile: { make: 'Toyota', model: 'Etios', year: 2014, fuelType: 'PETROL', oilServiceIntervalKm: 10000, oilServiceIntervalMonths: 12 },
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

const endOf = (days: number): Date => new Date(START + days * DAY);

describe(EngineCoolingModel.name, () => {
  const sut = new EngineCoolingModel();

  it('learns a healthy engine at 90 C and reports it OK with no forecast', () => {
    const { assessment, state } = sut.assess(history(daysOfDriving(30, () => 90, { wobbleC: 1.5 })), undefined, endOf(30));

    expect(assessment.risk).toBe('OK');
    expect(assessment.health).toBeGreaterThanOrEqual(95);
    expect(assessment.dueAt).toBeUndefined();
    expect(assessment.findings).toEqual([]);
    expect(assessment.confidence.kind).toBe('probability');
    expect(state.baseline?.daysUsed).toBe(7);
    expect(state.baseline?.medianC).toBeCloseTo(90, 0);
  });

  it('forecasts the day a steady 0.4 C/day rise reaches 105 C (hand-computed: 8 days)', () => {
    // Daily medians 90 + 0.4 d; at now (start of day 30) the line is at 90 + 0.4 * 29.5 = 101.8 C,
    // (105 - 101.8) / 0.4 = 8 days; the noise-free slope interval is [0.4, 0.4].
    const now = endOf(30);
    const { assessment, state } = sut.assess(history(daysOfDriving(30, (d) => 90 + 0.4 * d)), undefined, now);

    expect(state.baseline?.medianC).toBeCloseTo(91.2, 5);
    expect(assessment.risk).toBe('URGENT');
    expect(assessment.dueAt?.getTime()).toBeCloseTo(now.getTime() + 8 * DAY, -4);
    expect(assessment.confidence).toEqual({ kind: 'interval', unit: 'days', level: 0.95, low: 8, high: 8 });
    const drift = assessment.findings.find((f) => f.code === 'COOLANT_DRIFT');
    expect(drift?.params).toMatchObject({ daysToDanger: 8, currentC: 101.2, baselineC: 91.2 });
  });

  it("forecasts a drift that began mid-window from the days since it began (seed 2's drift cars a week or two in)", () => {
    // 21 days at 90 C, then 0.3 C/day for 9 days: the whole window's Theil-Sen slope is a fraction of it.
    // Days since the rise began: medians 90.3 .. 92.7 C; at now the line is at 90 + 0.3 * 9.5 = 92.85 C,
    // (105 - 92.85) / 0.3 = 40.5 days.
    const now = endOf(30);
    const { assessment } = sut.assess(history(daysOfDriving(30, (d) => 90 + 0.3 * Math.max(0, d - 20))), undefined, now);

    expect(assessment.evidence.trendSince).toMatchObject({ from: '2026-10-21', earlierCPerDay: 0 });
    expect(assessment.evidence.forecastDaysToDanger).toMatchObject({ eta: expect.closeTo(40.5, 0) as number });
    const drift = assessment.findings.find((f) => f.code === 'COOLANT_DRIFT');
    expect(drift).toMatchObject({ risk: 'SOON', params: { risingSince: '2026-10-21', slopeCPerDay: 0.3 } });
    expect(drift?.message).toContain('Rising 0.3 C a day since 2026-10-21, at this rate it reaches 105 C in about 41 days.');
  });

  it('keeps a persisted baseline instead of relearning from a hot period', () => {
    const previous: EngineCoolingState = {
      baseline: { medianC: 90, madC: 0.5, daysUsed: 7, fromDay: '2026-09-01', toDay: '2026-09-07' },
      resetAt: null,
    };
    const { assessment, state } = sut.assess(history(daysOfDriving(10, () => 97)), previous, endOf(10));

    expect(state.baseline).toEqual(previous.baseline);
    expect(assessment.risk).toBe('SOON');
    expect(assessment.findings.map((f) => f.code)).toEqual(['COOLANT_DRIFT']);
  });

  it('discards the baseline and the readings before a thermostat replacement', () => {
    const previous: EngineCoolingState = {
      baseline: { medianC: 84, madC: 0.5, daysUsed: 7, fromDay: '2026-09-01', toDay: '2026-09-07' },
      resetAt: null,
    };
    const samples = daysOfDriving(20, (d) => (d < 10 ? 99 : 90));
    const replaced: ServiceEvent = { kind: 'THERMOSTAT_REPLACEMENT', performedAt: new Date(START + 10 * DAY) };

    const { assessment, state } = sut.assess(history(samples, [replaced]), previous, endOf(20));

    expect(state.resetAt).toBe(replaced.performedAt.toISOString());
    expect(state.baseline?.medianC).toBe(90);
    expect(state.baseline?.fromDay).toBe('2026-10-11');
    expect(assessment.risk).toBe('OK');
  });

  it('calls sustained overheating above 115 C critical at once, even with one day of history', () => {
    const samples = drive({ startMs: START, minutes: 30, operatingC: 118, warmupMinutes: 5 });

    const { assessment } = sut.assess(history(samples), undefined, endOf(1));

    expect(assessment.risk).toBe('CRITICAL');
    expect(assessment.health).toBeLessThanOrEqual(10);
    expect(assessment.confidence.kind).toBe('insufficient-data');
    expect(assessment.findings[0]).toMatchObject({ code: 'COOLANT_OVERHEAT', risk: 'CRITICAL' });
  });

  it('calls one short episode above 110 C SOON', () => {
    const samples = daysOfDriving(10, () => 90);
    for (let i = 0; i < 7; i++) samples.push({ ts: new Date(START + 10 * DAY - 3 * MIN + i * 10_000), rpm: 2500, speedKph: 40, coolantTempC: 111 });

    const { assessment } = sut.assess(history(samples), undefined, endOf(11));

    const overheat = assessment.findings.find((f) => f.code === 'COOLANT_OVERHEAT');
    expect(overheat).toMatchObject({ risk: 'SOON', params: { episodes: 1, peakC: 111, longestS: 60 } });
  });

  it('flags a thermostat stuck open when long drives never pass 75 C, with no baseline to compare with', () => {
    const { assessment, state } = sut.assess(history(daysOfDriving(10, () => 68, { speedKph: 110, warmupMinutes: 20 })), undefined, endOf(10));

    expect(state.baseline).toBeNull();
    expect(assessment.findings).toContainEqual(expect.objectContaining({ code: 'THERMOSTAT_STUCK_OPEN', risk: 'SOON' }));
    expect(assessment.risk).toBe('SOON');
    expect(assessment.dueAt).toBeUndefined();
  });

  describe("thermostat stuck open, from each drive's warm-up", () => {
    const healthyDays = 10;
    const coldDrive = (day: number, hour: number, plateauC: number): TelemetryPoint[] =>
      drive({ startMs: START + day * DAY + hour * 3_600_000, minutes: 25, operatingC: plateauC, warmupMinutes: 12 }).map((p) => ({
        ...p,
        ambientTempC: 14,
      }));

    it("says SOON after two cold 20-minute drives, against the car's own warm drives, with the numbers", () => {
      const samples = [
        ...daysOfDriving(healthyDays, () => 90, { wobbleC: 1 }),
        ...coldDrive(healthyDays, 8, 72),
        ...coldDrive(healthyDays, 17, 73.5),
      ];

      const { assessment } = sut.assess(history(samples), undefined, endOf(healthyDays + 1));

      const finding = assessment.findings.find((f) => f.code === 'THERMOSTAT_STUCK_OPEN');
      expect(finding).toMatchObject({ risk: 'SOON', params: { coldDrives: 2, minC: 72, maxC: 73.5 } });
      expect(finding?.message).toContain('stayed at 72-74 C on the last 2 drives of 12+ minutes with 14 C outside, against 91 C before');
      expect(assessment.evidence.thermostat).toMatchObject({ consecutiveColdDrives: 2, coldBelowC: expect.closeTo(78, 0) as number });
    });

    it('calls a single cold drive WATCH, and a warm drive after it ends the run', () => {
      const oneCold = [...daysOfDriving(healthyDays, () => 90), ...coldDrive(healthyDays, 8, 72)];
      const thenWarm = [...oneCold, ...drive({ startMs: START + healthyDays * DAY + 17 * 3_600_000, minutes: 30, operatingC: 90 })];

      const watch = sut.assess(history(oneCold), undefined, endOf(healthyDays + 1)).assessment;
      const ok = sut.assess(history(thenWarm), undefined, endOf(healthyDays + 1)).assessment;

      expect(watch.findings.find((f) => f.code === 'THERMOSTAT_STUCK_OPEN')?.risk).toBe('WATCH');
      expect(ok.findings.find((f) => f.code === 'THERMOSTAT_STUCK_OPEN')).toBeUndefined();
      expect(ok.risk).toBe('OK');
    });

    it("uses the car's own warm drives before its baseline is learned: two cold drives after three days are SOON", () => {
      // Three days of warm driving: too few for the baseline (5 days), enough to know the car reaches ~90 C.
      const samples = [...daysOfDriving(3, () => 90, { wobbleC: 1 }), ...coldDrive(3, 8, 72), ...coldDrive(3, 17, 73)];

      const { assessment, state } = sut.assess(history(samples), undefined, endOf(4));

      expect(state.baseline).toBeNull();
      const finding = assessment.findings.find((f) => f.code === 'THERMOSTAT_STUCK_OPEN');
      expect(finding).toMatchObject({ risk: 'SOON', params: { coldDrives: 2, referenceKind: 'own-drives', confidence: 0.8 } });
      // Its warm drives peak at 91 C (90 C plus the 1 C fan wobble): cold below 91 - 12 = 79 C.
      expect(assessment.evidence.thermostat).toMatchObject({ referenceKind: 'own-drives', coldBelowC: 79 });
      expect(String((assessment.evidence.thermostat as { reference: string }).reference)).toContain('baseline not learned yet');
    });

    it('calls one drive 25 C short of its own temperature on a mild day SOON at once', () => {
      const samples = [...daysOfDriving(healthyDays, () => 90), ...coldDrive(healthyDays, 8, 58)];

      const { assessment } = sut.assess(history(samples), undefined, endOf(healthyDays + 1));

      expect(assessment.findings.find((f) => f.code === 'THERMOSTAT_STUCK_OPEN')).toMatchObject({
        risk: 'SOON',
        params: { coldDrives: 1, maxC: 58 },
      });
    });

    it('falls back on the prior for a car of its kind with nothing learned yet, with lower confidence and one more drive', () => {
      // Plateaus at 76-77 C: above the old fixed 75 C line, well below the 90 C a healthy engine of its kind reaches.
      const first = [...coldDrive(0, 8, 77), ...coldDrive(0, 17, 76.5)];
      const samples = [...first, ...coldDrive(1, 8, 76)];

      const two = sut.assess(history(first), undefined, endOf(1)).assessment;
      const three = sut.assess(history(samples), undefined, endOf(2)).assessment;

      expect(two.findings.find((f) => f.code === 'THERMOSTAT_STUCK_OPEN')).toMatchObject({ risk: 'WATCH' });
      const finding = three.findings.find((f) => f.code === 'THERMOSTAT_STUCK_OPEN');
      expect(finding).toMatchObject({ risk: 'SOON', params: { coldDrives: 3, referenceKind: 'prior', confidence: 0.6, coldBelowC: 78 } });
      expect(finding?.message).toContain('against the 90 C a car of its kind reaches (its own temperature is not known yet)');
      expect(String((three.evidence.thermostat as { reference: string }).reference)).toContain('lower confidence');
    });

    it('does not judge short drives: a healthy car on 8-minute hops stays OK', () => {
      const hops = [...daysOfDriving(healthyDays, () => 90)];
      for (let i = 0; i < 6; i++)
        hops.push(...drive({ startMs: START + healthyDays * DAY + i * 3_600_000, minutes: 8, operatingC: 90, warmupMinutes: 12 }));

      const { assessment } = sut.assess(history(hops), undefined, endOf(healthyDays + 1));

      expect(assessment.risk).toBe('OK');
    });
  });

  describe('episodes above the 105 C danger line', () => {
    const spikeStart = (day: number): number => START + day * DAY + 8 * 3_600_000 + 20 * MIN;
    /** 90 seconds at the peak in the middle of the morning drive, replacing its readings there. */
    const withSpikes = (spikes: [number, number][]): TelemetryPoint[] => {
      const inSpike = (t: number, day: number): boolean => t >= spikeStart(day) && t <= spikeStart(day) + 90_000;
      const base = daysOfDriving(20, () => 90).map((p) => {
        const hit = spikes.find(([day]) => inSpike(p.ts.getTime(), day));
        return hit === undefined ? p : { ...p, coolantTempC: hit[1] };
      });
      return base;
    };

    it('leaves a single short spike on a hot day at OK', () => {
      const { assessment } = sut.assess(history(withSpikes([[18, 107]])), undefined, endOf(20));

      expect(assessment.risk).toBe('OK');
      expect(assessment.evidence.dangerEpisodes).toMatchObject({ last14Days: 1 });
    });

    it('calls spikes between 105 and 110 C on three days SOON, with their count and rate', () => {
      const { assessment } = sut.assess(
        history(
          withSpikes([
            [13, 106],
            [16, 107.5],
            [19, 108],
          ]),
        ),
        undefined,
        endOf(20),
      );

      const finding = assessment.findings.find((f) => f.code === 'COOLANT_DANGER_EPISODES');
      expect(finding).toMatchObject({ risk: 'SOON', params: { episodes: 3, days: 3, peakC: 108 } });
      expect(finding?.message).toContain('above 105 C 3 times on 3 day(s) in the last 14 days (up to 108 C)');
      expect(finding?.message).toContain('The rate is rising');
      expect(assessment.findings.find((f) => f.code === 'COOLANT_OVERHEAT')).toBeUndefined();
    });
  });

  describe('a sudden step, decided per drive', () => {
    const healthyDays = 10;
    const at = (day: number, hour: number): number => START + day * DAY + hour * 3_600_000;
    /** Ten days at 91 C (two hour-long drives a day, a little fan wobble and sensor noise). */
    const healthy = (): TelemetryPoint[] => daysOfDriving(healthyDays, (d) => 90.8 + (d % 3) * 0.2, { wobbleC: 1, noise: seeded(3, 0.3) });
    const driveAt = (day: number, hour: number, operatingC: number, minutes = 30): TelemetryPoint[] =>
      drive({ startMs: at(day, hour), minutes, operatingC, wobbleC: 1, noise: seeded(day * 24 + hour, 0.3) });
    const stepOf = (a: { findings: readonly { code: string }[] }) => a.findings.find((f) => f.code === 'COOLANT_STEP');

    it('says SOON on the third drive at 99 C against 91 C before, in words, with the drives it rests on', () => {
      const samples = [...healthy(), ...driveAt(healthyDays, 8, 99), ...driveAt(healthyDays, 13, 99.5), ...driveAt(healthyDays, 17, 99)];

      const { assessment } = sut.assess(history(samples), undefined, endOf(healthyDays + 1));

      const step = stepOf(assessment);
      expect(step).toMatchObject({ risk: 'SOON', params: { drives: 3, currentC: 99, beforeC: expect.closeTo(91, 0) as number } });
      expect(assessment.findings.find((f) => f.code === 'COOLANT_STEP')?.message).toContain(
        'Warm coolant 99 C on the last 3 drives against 91 C before',
      );
      expect(assessment.evidence.step).toMatchObject({ drivesAbove: 3, runMedianC: 99, spreadC: expect.any(Number) as number });
      // The daily medians have not seen it yet (one day, no trend): the drift finding alone would be silent.
      expect(assessment.findings.find((f) => f.code === 'COOLANT_DRIFT')).toBeUndefined();
      expect(assessment.risk).toBe('SOON');
    });

    it('calls one drive far above WATCH, two drives 9 C up SOON, and two drives 6 C up still WATCH', () => {
      const one = sut.assess(history([...healthy(), ...driveAt(healthyDays, 8, 99)]), undefined, endOf(healthyDays + 1)).assessment;
      const twoBig = sut.assess(
        history([...healthy(), ...driveAt(healthyDays, 8, 99.5), ...driveAt(healthyDays, 17, 99.5)]),
        undefined,
        endOf(healthyDays + 1),
      );
      const twoSmall = sut.assess(
        history([...healthy(), ...driveAt(healthyDays, 8, 96.5), ...driveAt(healthyDays, 17, 96.5)]),
        undefined,
        endOf(healthyDays + 1),
      );

      expect(stepOf(one)).toMatchObject({ risk: 'WATCH', params: { drives: 1 } });
      expect(stepOf(twoBig.assessment)).toMatchObject({ risk: 'SOON', params: { drives: 2 } });
      expect(stepOf(twoSmall.assessment)).toMatchObject({ risk: 'WATCH', params: { drives: 2 } });
    });

    it("counts a drive that warmed up only in its last 1.5 minutes (seed 2's low-mileage car 39): SOON on the next warm drive", () => {
      // 30-s readings (the scorer's buckets), a 17-minute warm-up in a 20-minute drive: 3 warmed-up readings.
      const late = drive({ startMs: at(healthyDays, 17), minutes: 20, intervalS: 30, warmupMinutes: 17, operatingC: 101 });
      const samples = [...healthy(), ...late, ...driveAt(healthyDays + 2, 17, 101)];

      const { assessment } = sut.assess(history(samples), undefined, endOf(healthyDays + 3));

      expect(stepOf(assessment)).toMatchObject({ risk: 'SOON', params: { drives: 2, currentC: 101 } });
    });

    it('raises no step on a healthy car with hot days, a long climb, short hops, and a normal drive after a hot one', () => {
      const samples = [
        ...healthy(),
        // A heat wave: three drives 3.5 C warmer (fan working hard), below the 5 C step margin.
        ...driveAt(healthyDays, 8, 94),
        ...driveAt(healthyDays, 13, 94),
        ...driveAt(healthyDays, 17, 94),
        // Six 5-minute hops: too few warm readings to judge a drive on.
        ...[8, 9, 10, 11, 12, 13].flatMap((hour) => driveAt(healthyDays + 1, hour, 99, 5)),
        // A long climb towing a trailer: one drive 7 C up, then back to normal on the next drive.
        ...driveAt(healthyDays + 1, 17, 97.5, 60),
        ...driveAt(healthyDays + 2, 8, 90.5),
      ];

      const { assessment } = sut.assess(history(samples), undefined, endOf(healthyDays + 3));

      expect(stepOf(assessment)).toBeUndefined();
      expect(assessment.evidence.step).toMatchObject({ drivesAbove: 0 });
      // The daily medians of the hot days may make the drift finding WATCH (94 C against 91 C), never an alert.
      expect(riskRank(assessment.risk)).toBeLessThan(riskRank('SOON'));
    });

    it('leaves a gradual drift to the drift finding: no drive stands above the ones just before it', () => {
      const { assessment } = sut.assess(history(daysOfDriving(30, (d) => 89 + 0.4 * d, { wobbleC: 1 })), undefined, endOf(30));

      expect(stepOf(assessment)).toBeUndefined();
      expect(assessment.findings.find((f) => f.code === 'COOLANT_DRIFT')).toBeDefined();
    });

    it('does not call a warm drive after cold stuck-open drives a step (the drives before were not warm)', () => {
      const cold = [0, 1, 2, 3, 4, 5].flatMap((d) => [...driveAt(d, 8, 70), ...driveAt(d, 17, 70)]);
      const samples = [...cold, ...driveAt(6, 8, 90), ...driveAt(6, 13, 90), ...driveAt(6, 17, 90)];

      const { assessment } = sut.assess(history(samples), undefined, endOf(7));

      expect(stepOf(assessment)).toBeUndefined();
    });
  });

  it('ignores a stuck sensor instead of learning a perfect engine from it', () => {
    const samples = daysOfDriving(10, () => 88).map((p) => ({ ...p, coolantTempC: 88 }));

    const { assessment, state } = sut.assess(history(samples), undefined, endOf(10));

    expect(state.baseline).toBeNull();
    expect(assessment.findings).toContainEqual(expect.objectContaining({ code: 'COOLANT_SENSOR_STUCK', risk: 'WATCH' }));
    expect(assessment.confidence.kind).toBe('insufficient-data');
  });

  it('says so when there is too little history, with no forecast and at most WATCH', () => {
    const { assessment } = sut.assess(history(daysOfDriving(3, (d) => 95 + 3 * d)), undefined, endOf(3));

    expect(assessment.confidence).toMatchObject({ kind: 'insufficient-data' });
    expect(riskRank(assessment.risk)).toBeLessThanOrEqual(riskRank('WATCH'));
    expect(assessment.dueAt).toBeUndefined();
  });

  it('excludes the warm-up: slow cold starts do not lower the learned temperature', () => {
    const { state } = sut.assess(history(daysOfDriving(10, () => 90, { startC: 5, warmupMinutes: 20 })), undefined, endOf(10));

    expect(state.baseline?.medianC).toBe(90);
  });

  it('gives the same answer for shuffled and duplicated samples', () => {
    const samples = daysOfDriving(20, (d) => 90 + 0.3 * d, { noise: seeded(7, 1) });
    const messy = [...samples, ...samples.filter((_, i) => i % 7 === 0)].sort(
      (a, b) => ((a.ts.getTime() * 7919) % 1009) - ((b.ts.getTime() * 7919) % 1009),
    );

    const clean = sut.assess(history(samples), undefined, endOf(20)).assessment;
    const dirty = sut.assess(history(messy), undefined, endOf(20)).assessment;

    expect({ ...dirty, evidence: { ...dirty.evidence, samples: null } }).toEqual({ ...clean, evidence: { ...clean.evidence, samples: null } });
  });

  describe('properties', () => {
    const sparse = { intervalS: 30 };

    it('never calls a healthy, stationary engine URGENT or worse', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 84, max: 96, noNaN: true }),
          fc.double({ min: 0, max: 2, noNaN: true }),
          fc.integer({ min: 1, max: 1e6 }),
          fc.integer({ min: 1, max: 30 }),
          (operatingC, noise, seed, days) => {
            const { assessment } = sut.assess(
              history(daysOfDriving(days, () => operatingC, { ...sparse, noise: seeded(seed, noise) })),
              undefined,
              endOf(days),
            );
            expect(riskRank(assessment.risk)).toBeLessThan(riskRank('URGENT'));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('never lowers the risk when the drift grows', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 0, max: 0.6, noNaN: true }),
          fc.double({ min: 0, max: 0.6, noNaN: true }),
          fc.integer({ min: 1, max: 1e6 }),
          (a, b, seed) => {
            const [small, large] = a <= b ? [a, b] : [b, a];
            const run = (perDay: number) =>
              sut.assess(history(daysOfDriving(30, (d) => 89 + perDay * d, { ...sparse, noise: seeded(seed, 0.8) })), undefined, endOf(30)).assessment
                .risk;
            expect(riskRank(run(large))).toBeGreaterThanOrEqual(riskRank(run(small)));
          },
        ),
        { numRuns: 40 },
      );
    });
  });
});
