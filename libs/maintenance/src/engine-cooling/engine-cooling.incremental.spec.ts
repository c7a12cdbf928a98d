import type { ComponentAssessment, EvidenceValue, ServiceEvent, TelemetryPoint } from '../maintenance-model.js';
import {
  assessIncrementally,
  assessInFull,
  READ_BEFORE_HORIZON_MS,
  splitSegments,
  summaryHorizonMs,
  type SavedSummary,
} from '../incremental/index.js';
import { EngineCoolingModel, type EngineCoolingState } from './engine-cooling.model.js';
import { decodeCounts, encodeCounts, type EngineCoolingSummary } from './coolant-summary.js';

const DAY = 86_400_000;
const MIN = 60_000;
const START = Date.UTC(2026, 8, 1);

function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface DriveShape {
  startMs: number;
  minutes: number;
  operatingC: number;
  noiseC: number;
  random: () => number;
  startC?: number;
  /** A sensor stuck at this value for the whole drive. */
  stuckC?: number;
  /** Readings replaced by this peak from minute 20 for 90 s (an episode above the danger line). */
  spikeC?: number;
}

/** A drive at 30-s readings with its ignition-on and engine-off readings, as the scorer stores them. */
function drive(d: DriveShape): TelemetryPoint[] {
  const startC = d.startC ?? 25;
  const points: TelemetryPoint[] = [{ ts: new Date(d.startMs - 20_000), rpm: 0, coolantTempC: startC }];
  for (let t = 0; t <= d.minutes * MIN; t += 30_000) {
    const warm = Math.min(1, t / (7 * MIN));
    let c = startC + (d.operatingC - startC) * warm + (warm >= 1 ? (d.random() - 0.5) * 2 * d.noiseC : 0);
    if (d.spikeC !== undefined && t >= 20 * MIN && t <= 20 * MIN + 90_000) c = d.spikeC;
    if (d.stuckC !== undefined) c = d.stuckC;
    points.push({ ts: new Date(d.startMs + t), rpm: 2200, speedKph: 70, ambientTempC: 15, coolantTempC: Math.round(c * 10) / 10 });
  }
  points.push({ ts: new Date(d.startMs + d.minutes * MIN + 30_000), rpm: 0, coolantTempC: d.operatingC });
  return points;
}

interface FleetDay {
  drives: Omit<DriveShape, 'random' | 'noiseC'>[];
}

/** Days of driving, with a parked reading every `parkedEveryMin` minutes between drives. */
function historyOf(days: FleetDay[], options: { noiseC: number; parkedEveryMin: number; seed: number }): TelemetryPoint[] {
  const random = seeded(options.seed);
  const driving = days.flatMap((day) => day.drives.flatMap((d) => drive({ ...d, noiseC: options.noiseC, random })));
  driving.sort((a, b) => a.ts.getTime() - b.ts.getTime());
  const parked: TelemetryPoint[] = [];
  const end = START + days.length * DAY;
  let next = 0;
  for (let t = START; t < end; t += options.parkedEveryMin * MIN) {
    // No parked reading within 6 minutes of a drive's readings (both ascending: one pointer).
    while (next < driving.length && driving[next].ts.getTime() <= t - 6 * MIN) next++;
    if (next >= driving.length || driving[next].ts.getTime() >= t + 6 * MIN) parked.push({ ts: new Date(t), rpm: 0, coolantTempC: 20 });
  }
  return [...driving, ...parked].sort((a, b) => a.ts.getTime() - b.ts.getTime());
}

/**
 * 40 days: a healthy car at 90 C (so the 30-day horizon moves over the history), a stuck sensor over
 * three drives on days 12-13 (one run across segments and midnight), a drift from day 24, spikes above
 * 105 C on days 30, 33 and 36, an overheat on day 38, and two cold (thermostat) drives on day 39.
 */
function eventfulHistory(withStuckSensor = true): TelemetryPoint[] {
  const days: FleetDay[] = [];
  for (let d = 0; d < 40; d++) {
    const at = (hour: number): number => START + d * DAY + hour * 3_600_000;
    const operatingC = d < 24 ? 90 : 90 + 0.5 * (d - 23);
    const drives: FleetDay['drives'] = [
      { startMs: at(7.5), minutes: 35, operatingC },
      { startMs: at(17.25), minutes: 45, operatingC, ...(d === 30 || d === 33 || d === 36 ? { spikeC: 107 } : {}) },
    ];
    if (d === 12 && withStuckSensor)
      drives.push({ startMs: at(20), minutes: 200, operatingC, stuckC: 88.4 }, { startMs: at(23.75), minutes: 40, operatingC, stuckC: 88.4 });
    if (d === 13 && withStuckSensor) drives[0] = { startMs: at(7.5), minutes: 60, operatingC, stuckC: 88.4 };
    if (d === 38) drives.push({ startMs: at(12), minutes: 30, operatingC, spikeC: 113 });
    if (d === 39) drives.push({ startMs: at(10), minutes: 25, operatingC: 68 }, { startMs: at(13), minutes: 25, operatingC: 69 });
    days.push({ drives });
  }
  return historyOf(days, { noiseC: 1.2, parkedEveryMin: 15, seed: 11 });
}

const context = {
  profile: { make: 'Toyota', model: 'Etios', year: 2014, fuelType: 'PETROL' as const, oilServiceIntervalKm: 10000, oilServiceIntervalMonths: 12 },
  tireReadings: [],
  serviceEvents: [] as ServiceEvent[],
};

/** What the dashboard, charts and reminders read: must be the same on both paths. */
function comparable(a: ComponentAssessment): unknown {
  return {
    risk: a.risk,
    health: a.health,
    dueAt: a.dueAt,
    confidence: a.confidence,
    findings: a.findings,
    evidence: a.evidence,
    explanation: a.explanation,
  };
}

describe('EngineCoolingModel, incremental', () => {
  const model = new EngineCoolingModel();

  it('encodes histogram counts as one character per bin, and larger counts in full', () => {
    const counts = [0, 1, 9, 10, 35, 61, 62, 250, 0, 3];
    expect(encodeCounts(counts)).toBe('019azZ(62)(250)03');
    expect(decodeCounts(encodeCounts(counts))).toEqual(counts);
    expect(decodeCounts('')).toEqual([]);
  });

  /** Scores every 6 h for `days` days on both paths; returns the findings seen (code:risk). */
  function foldEqualsFull(samples: TelemetryPoint[], days: number): Set<string> {
    let saved: SavedSummary<EngineCoolingSummary> | null = null;
    let incState: EngineCoolingState | undefined;
    let fullState: EngineCoolingState | undefined;
    const seen = new Set<string>();
    let compared = 0;
    for (let now = START + 6 * 3_600_000; now <= START + days * DAY; now += 6 * 3_600_000) {
      const nowDate = new Date(now);
      const after = saved?.closedUntilMs ?? -Infinity;
      const readFrom = summaryHorizonMs(nowDate) - READ_BEFORE_HORIZON_MS;
      const fresh = samples.filter((p) => p.ts.getTime() > after && p.ts.getTime() >= readFrom && p.ts.getTime() <= now);
      const inc: ReturnType<typeof assessIncrementally<EngineCoolingSummary, EngineCoolingState>> = assessIncrementally(
        model,
        saved,
        fresh,
        context,
        incState,
        nowDate,
      );
      const window = samples.filter((p) => p.ts.getTime() >= readFrom && p.ts.getTime() <= now);
      const full = assessInFull(model, { ...context, samples: window }, fullState, nowDate);
      expect(comparable(inc.assessment)).toEqual(comparable(full.assessment));
      expect(inc.state).toEqual(full.state);
      // The saved summary is plain JSON: it must survive the jsonb round trip.
      saved = JSON.parse(JSON.stringify(inc.saved)) as SavedSummary<EngineCoolingSummary>;
      incState = inc.state;
      fullState = full.state;
      for (const f of inc.assessment.findings) seen.add(`${f.code}:${f.risk}`);
      compared++;
    }
    expect(compared).toBe(days * 4);
    return seen;
  }

  it('gives the same assessment folding segment by segment (scores every 6 h) as a full rebuild at each score', () => {
    const seen = foldEqualsFull(eventfulHistory(), 40);
    // The history exercised every finding, so the equality above covered them.
    expect([...seen].map((s) => s.split(':')[0]).sort()).toEqual(
      expect.arrayContaining(['COOLANT_DANGER_EPISODES', 'COOLANT_DRIFT', 'COOLANT_OVERHEAT', 'COOLANT_SENSOR_STUCK', 'THERMOSTAT_STUCK_OPEN']),
    );
  });

  it('gives the same per-drive step decision on both paths, from its first drive to when 48 drives have passed', () => {
    // 36 days at 90 C, three drives a day, then the regulated temperature jumps to 100 C on the evening drive of day 22:
    // the step's run grows drive by drive (WATCH, then SOON) and the kept list rolls over the older drives.
    const days: FleetDay[] = Array.from({ length: 36 }, (_, d) => ({
      drives: [7.5, 12.5, 17.25].map((hour) => ({
        startMs: START + d * DAY + hour * 3_600_000,
        minutes: 30,
        operatingC: d > 22 || (d === 22 && hour > 17) ? 100 : 90,
      })),
    }));
    const seen = foldEqualsFull(historyOf(days, { noiseC: 1, parkedEveryMin: 30, seed: 21 }), 36);
    expect([...seen]).toEqual(expect.arrayContaining(['COOLANT_STEP:WATCH', 'COOLANT_STEP:SOON']));
  });

  it('finds a stuck run that spans drives and midnight, and drops its readings from the days it covered', () => {
    const now = new Date(START + 14 * DAY);
    const assess = (samples: TelemetryPoint[]): ComponentAssessment =>
      model.assess({ ...context, samples: samples.filter((p) => p.ts <= now) }, undefined, now).assessment;
    const assessment = assess(eventfulHistory());
    // The same days without the stuck drives (they come after the day's healthy drives, which get the same noise).
    const healthy = assess(eventfulHistory(false));

    const stuck = assessment.findings.find((f) => f.code === 'COOLANT_SENSOR_STUCK');
    expect(stuck?.params).toMatchObject({ valueC: 88.4 });
    // From the first stuck reading (20:00 on day 12) to the last (08:30 on day 13): three drives, one run across midnight.
    expect(assessment.evidence.stuckSensorHours).toBe(12.5);
    const dayOf = (a: ComponentAssessment, day: string): EvidenceValue | undefined => {
      const medians = a.evidence.dailyMedians;
      return Array.isArray(medians) ? medians.find((m) => typeof m === 'object' && m !== null && !Array.isArray(m) && m.day === day) : undefined;
    };
    // Day 12 keeps its two healthy drives' warm readings (the same median) and loses the stuck ones.
    expect(dayOf(assessment, '2026-09-13')).toEqual(dayOf(healthy, '2026-09-13'));
    expect(dayOf(assessment, '2026-09-13')).toMatchObject({ medianC: expect.closeTo(90, 0) as number });
    // The three stuck drives are not counted; the healthy history drove on day 13's morning instead of the stuck drive.
    expect(assessment.evidence.samples).toMatchObject({ drives: (healthy.evidence.samples as { drives: number }).drives - 1 });
    expect(assessment.evidence.baseline).toEqual(healthy.evidence.baseline);
  });

  it('never changes the summary it folds into (the driver folds the open drive into the saved one)', () => {
    const samples = eventfulHistory().filter((p) => p.ts.getTime() < START + 14 * DAY);
    let summary = model.emptySummary();
    for (const segment of splitSegments(samples)) {
      const before = JSON.stringify(summary);
      const next = model.fold(summary, segment);
      expect(JSON.stringify(summary)).toBe(before);
      summary = next;
    }
    expect(summary.days).toHaveLength(14);
  });

  it('ignores the days before a mid-day coolant service, and the drives before it that day', () => {
    const samples = eventfulHistory().filter((p) => p.ts.getTime() < START + 30 * DAY);
    const service: ServiceEvent = { kind: 'COOLANT_SERVICE', performedAt: new Date(START + 20 * DAY + 12 * 3_600_000) };
    const { assessment, state } = model.assess({ ...context, serviceEvents: [service], samples }, undefined, new Date(START + 30 * DAY));

    const medians = assessment.evidence.dailyMedians as { day: string }[];
    expect(medians[0].day).toBe('2026-09-22');
    expect(state.resetAt).toBe(service.performedAt.toISOString());
    expect(state.baseline?.fromDay).toBe('2026-09-22');
  });

  describe('summary size', () => {
    const sizeOf = (samples: TelemetryPoint[], now: Date): number =>
      JSON.stringify(assessIncrementally(model, null, samples, context, undefined, now).saved.summary).length;

    it('stays under 4 KB for 30 days of a typical car (two drives a day, a parked reading every 15 min)', () => {
      const days: FleetDay[] = Array.from({ length: 30 }, (_, d) => ({
        drives: [
          { startMs: START + d * DAY + 7.5 * 3_600_000, minutes: 35, operatingC: 90 },
          { startMs: START + d * DAY + 17.25 * 3_600_000, minutes: 45, operatingC: 90 },
        ],
      }));
      expect(sizeOf(historyOf(days, { noiseC: 1.2, parkedEveryMin: 15, seed: 3 }), new Date(START + 30 * DAY))).toBeLessThan(4_000);
    });

    it('stays under its bound on a busy, noisy 30-day history (ten 40-minute drives a day, +-4 C noise, readings every 5 min parked)', () => {
      const days: FleetDay[] = Array.from({ length: 30 }, (_, d) => ({
        drives: Array.from({ length: 10 }, (_, k) => ({
          startMs: START + d * DAY + (5 + 1.5 * k) * 3_600_000,
          minutes: 40,
          operatingC: 88 + (k % 3),
        })),
      }));
      expect(sizeOf(historyOf(days, { noiseC: 4, parkedEveryMin: 5, seed: 5 }), new Date(START + 30 * DAY))).toBeLessThan(16_000);
    });
  });
});
