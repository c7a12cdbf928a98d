import {
  assessIncrementally,
  assessInFull,
  READ_BEFORE_HORIZON_MS,
  summaryHorizonMs,
  type DecisionContext,
  type IncrementalModel,
  type IncrementalResult,
  type SavedSummary,
} from '../incremental/index.js';
import type { ModelResult, TelemetryPoint, TireReadingPoint } from '../maintenance-model.js';
import { ServiceScheduleModel } from '../service-schedule/service-schedule.model.js';
import { aProfile, event, onAllWheels } from '../tires/tire-history.factory.js';
import { TireWearModel } from '../tires/tire-wear.model.js';
import { DAY_MS } from './driving-history.factory.js';
import { OdometerAwareModel } from './odometer-aware.model.js';
import { shiftServiceScheduleState, shiftTireState } from './odometer-state-shifts.js';

const START = new Date('2026-09-01T00:00:00Z');
const DAYS = 45;
const JUMP_DAY = 33;

/** 45 days, two drives a day (the evening one across midnight on odd days), a +100,000 km cluster jump on day 33. */
function samples(): TelemetryPoint[] {
  const out: TelemetryPoint[] = [];
  let km = 20_000;
  const drive = (startMs: number, distance: number): void => {
    for (let i = 0; i < 25; i++) {
      out.push({ ts: new Date(startMs + i * 60_000), odometerKm: Math.round((km + (distance * i) / 24) * 10) / 10, speedKph: (distance / 24) * 60 });
    }
    km += distance;
  };
  for (let d = 0; d < DAYS; d++) {
    const day = START.getTime() + d * DAY_MS;
    drive(day + 8 * 3_600_000, 20 + (d % 7) * 4);
    drive(day + (d % 2 === 1 ? 23.75 : 18) * 3_600_000, 15);
  }
  const jumpAt = START.getTime() + JUMP_DAY * DAY_MS;
  return out.map((s) => (s.ts.getTime() >= jumpAt && s.odometerKm !== undefined ? { ...s, odometerKm: s.odometerKm + 100_000 } : s));
}

const tireReadings: TireReadingPoint[] = [
  ...onAllWheels((w) => ({
    position: w,
    ts: new Date(START.getTime() - 200 * DAY_MS),
    odometerKm: 8_000,
    treadMm: 8.0,
    source: 'INSPECTION' as const,
  })),
  ...onAllWheels((w) => ({ position: w, ts: new Date(START.getTime() + 20.5 * DAY_MS), treadMm: 6.1, source: 'INSPECTION' as const })),
];
const context: DecisionContext = {
  profile: aProfile({ oilServiceIntervalKm: 5_000 }),
  tireReadings,
  serviceEvents: [
    event('OIL_CHANGE', new Date(START.getTime() + 5.4 * DAY_MS)),
    event('TIRE_ROTATION', new Date(START.getTime() - 30 * DAY_MS), undefined, 15_000),
  ],
};

/** Scores every 6 hours from day 31 on, both ways, each carrying its own state; returns the pairs of results. */
function bothWays<Summary, State>(
  model: IncrementalModel<Summary, State>,
): { full: ModelResult<State>; incremental: ModelResult<State>; saved: SavedSummary<Summary> }[] {
  const all = samples();
  const out: { full: ModelResult<State>; incremental: ModelResult<State>; saved: SavedSummary<Summary> }[] = [];
  let saved: SavedSummary<Summary> | null = null;
  let incState: State | undefined;
  let fullState: State | undefined;
  for (let t = START.getTime() + 31 * DAY_MS; t <= START.getTime() + DAYS * DAY_MS; t += 6 * 3_600_000) {
    const now = new Date(t);
    const from = summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS;
    const window = all.filter((s) => s.ts.getTime() >= from && s.ts.getTime() <= t);
    const after = saved?.closedUntilMs ?? null;
    const fresh = after === null ? window : window.filter((s) => s.ts.getTime() > after);
    const incremental: IncrementalResult<Summary, State> = assessIncrementally(model, saved, fresh, context, incState, now);
    const full = assessInFull(model, { ...context, samples: window }, fullState, now);
    saved = incremental.saved;
    incState = incremental.state;
    fullState = full.state;
    out.push({ full, incremental, saved: incremental.saved });
  }
  return out;
}

describe('distance models, incrementally', () => {
  it.each([
    ['tyres', new OdometerAwareModel(new TireWearModel(), shiftTireState)],
    ['service schedule', new OdometerAwareModel(new ServiceScheduleModel(), shiftServiceScheduleState)],
  ] as const)('%s: scoring on the saved summary gives what a full rebuild gives, every 6 hours for two weeks', (_name, model) => {
    const runs = bothWays(model as IncrementalModel<unknown, unknown>);
    expect(runs.length).toBeGreaterThan(50);
    for (const { full, incremental } of runs) {
      expect(incremental.assessment).toEqual(full.assessment);
      expect(incremental.state).toEqual(full.state);
    }
    const last = runs[runs.length - 1];
    expect(last.full.assessment.findings.length).toBeGreaterThan(0);
    expect(last.full.assessment.evidence.odometerEvents).toEqual([expect.objectContaining({ kind: 'JUMP', deltaKm: 100_000 })]);
    // The summary is plain JSON and small: two drives a day for 30 days.
    expect(JSON.parse(JSON.stringify(last.saved))).toEqual(last.saved);
    expect(JSON.stringify(last.saved.summary).length).toBeLessThan(6_000);
  });
});
