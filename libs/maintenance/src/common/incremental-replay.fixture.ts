// Test support shared by the fuel-economy and battery incremental specs: a busy month of 30-second
// telemetry (parked readings every 5 minutes, two to four drives a day with an ignition-on reading,
// cranking, charging and fuel readings), and a replay that scores it day by day both ways.
import type { ModelResult, TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import {
  assessIncrementally,
  assessInFull,
  READ_BEFORE_HORIZON_MS,
  summaryHorizonMs,
  type IncrementalModel,
  type SavedSummary,
} from '../incremental/index.js';

export const DAY = 86_400_000;
export const START = Date.UTC(2026, 9, 1);

/** Deterministic noise in [-amplitude, amplitude]. */
export function seeded(seed: number, amplitude: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * amplitude;
  };
}

export interface MonthOptions {
  days: number;
  /** Fuel consumption factor of day d (1 = as new). */
  fuelFactor?: (day: number) => number;
  /** Resting voltage of day d. */
  restingV?: (day: number) => number;
  seed?: number;
}

const round = (v: number, digits: number): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Parked readings every 5 min, and 2-4 drives a day (one of them across midnight now and then). */
export function busyMonth(options: MonthOptions): TelemetryPoint[] {
  const noise = seeded(options.seed ?? 7, 1);
  const fuelFactor = options.fuelFactor ?? (() => 1);
  const restingV = options.restingV ?? (() => 12.62);
  const points: TelemetryPoint[] = [];
  let t = START;
  const end = START + options.days * DAY;
  const drivesOf = (day: number): number[] => {
    const count = 2 + Math.floor(((day * 7919) % 3) + 0.5 * (noise() + 1));
    const hours = [7.2, 12.5, 17.8, 23.7].slice(0, Math.min(4, count));
    return hours.map((h) => START + day * DAY + Math.round((h + 0.3 * noise()) * 3_600_000));
  };
  const starts = Array.from({ length: options.days }, (_, d) => drivesOf(d)).flat();
  let next = 0;
  while (t < end) {
    const start = starts[next] as number | undefined;
    if (start !== undefined && t >= start - 5 * 60_000) {
      const day = Math.floor((start - START) / DAY);
      const minutes = 15 + Math.round(25 * (noise() + 1));
      points.push({ ts: new Date(start - 20_000), rpm: 0, speedKph: 0, batteryV: round(restingV(day) - 0.25 + 0.02 * noise(), 2) });
      points.push({ ts: new Date(start), rpm: 300, speedKph: 0, batteryV: round(10.4 + 0.2 * noise(), 2) });
      let speed = 0;
      for (let s = 30; s <= minutes * 60; s += 30) {
        const target = s < 120 ? 0 : s % 900 < 300 ? 30 + 20 * Math.sin(s / 60) : 95 + 5 * Math.sin(s / 200);
        const accel = (target - speed) / 30;
        speed = Math.max(0, target + 2 * noise());
        const base = speed < 3 ? 0.8 : 1.0 + 0.0008 * speed * speed + Math.max(0, accel) * 3;
        points.push({
          ts: new Date(start + s * 1000),
          rpm: speed < 3 ? 750 : 2000,
          speedKph: round(speed, 1),
          fuelRateLph: round(base * fuelFactor(day) * (1 + 0.04 * noise()), 3),
          batteryV: round(14.15 + 0.08 * noise(), 2),
        });
      }
      t = start + minutes * 60_000 + 60_000;
      points.push({ ts: new Date(t), rpm: 0, speedKph: 0, batteryV: round(restingV(day) + 0.2 + 0.02 * noise(), 2) });
      t += 5 * 60_000;
      next++;
      // A drive still going at the next one's planned start replaces it.
      while (starts[next] !== undefined && (starts[next] as number) < t) next++;
      continue;
    }
    const day = Math.floor((t - START) / DAY);
    points.push({ ts: new Date(t), rpm: 0, speedKph: 0, batteryV: round(restingV(day) + 0.02 * noise(), 2) });
    t += 5 * 60_000;
  }
  return points;
}

export interface ReplayStep<State> {
  now: Date;
  incremental: ModelResult<State>;
  full: ModelResult<State>;
  savedJson: string;
}

/**
 * Scores `samples` at each `times` both ways: incrementally (the saved summary and state carried from
 * the previous score, through JSON as the database would, reading only what came after closedUntilMs)
 * and in full (the window read from the horizon minus a day, its own state carried).
 */
export function replayBothWays<Summary, State>(
  model: IncrementalModel<Summary, State>,
  history: Omit<VehicleHistory, 'samples'>,
  samples: readonly TelemetryPoint[],
  times: readonly Date[],
): ReplayStep<State>[] {
  const steps: ReplayStep<State>[] = [];
  let saved: SavedSummary<Summary> | null = null;
  let incState: State | undefined;
  let fullState: State | undefined;
  for (const now of times) {
    const nowMs = now.getTime();
    const from = summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS;
    const after: number = saved?.closedUntilMs ?? from;
    const fresh = samples.filter((p) => p.ts.getTime() > after && p.ts.getTime() <= nowMs);
    // The worker's way (its summaries are parsed per score and handed over): the same decision, and the same
    // summary to save whenever one is saved.
    const handedOver =
      saved === null
        ? null
        : assessIncrementally(model, structuredClone(saved), fresh, history, structuredClone(incState), now, { savedIsDisposable: true });
    const incremental = assessIncrementally(model, saved, fresh, history, incState, now);
    const savedJson = JSON.stringify(incremental.saved);
    if (handedOver !== null) {
      expect(handedOver.assessment).toEqual(incremental.assessment);
      expect(handedOver.summaryChanged).toBe(incremental.summaryChanged);
      if (incremental.summaryChanged) expect(JSON.stringify(handedOver.saved)).toBe(savedJson);
    }
    saved = JSON.parse(savedJson) as SavedSummary<Summary>;
    incState = JSON.parse(JSON.stringify(incremental.state)) as State;
    const window = samples.filter((p) => p.ts.getTime() >= from && p.ts.getTime() <= nowMs);
    const full = assessInFull(model, { ...history, samples: window }, fullState, now);
    fullState = JSON.parse(JSON.stringify(full.state)) as State;
    steps.push({ now, incremental: { assessment: incremental.assessment, state: incremental.state }, full, savedJson });
  }
  return steps;
}

/** Score times: every evening, and every third day also in the middle of a drive window. */
export function scoreTimes(fromDay: number, toDay: number): Date[] {
  const times: Date[] = [];
  for (let d = fromDay; d < toDay; d++) {
    if (d % 3 === 0) times.push(new Date(START + d * DAY + Math.round(7.4 * 3_600_000)));
    times.push(new Date(START + d * DAY + 21 * 3_600_000));
  }
  return times;
}
