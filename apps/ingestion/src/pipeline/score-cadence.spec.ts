import type { VehicleSample } from '#app/database';
import { PROMPT_GAP_MS, type ScoreRequester, type TelemetryScoreRequest, TelemetryScoreCadence } from './score-cadence.js';

const options = { intervalMs: 600_000, debounceMs: 5_000 };

interface Asked {
  soon: TelemetryScoreRequest[][];
  routine: TelemetryScoreRequest[][];
}

function cadence(): { sut: TelemetryScoreCadence; asked: Asked } {
  const asked: Asked = { soon: [], routine: [] };
  const requester: ScoreRequester = {
    requestEach: async (requests) => void asked.routine.push([...requests]),
    requestEachSoon: async (requests) => void asked.soon.push([...requests]),
  };
  return { sut: new TelemetryScoreCadence(requester, { warn: () => undefined }, options), asked };
}

const sample = (vehicleId: string, seq: number, reading: Partial<VehicleSample['sample']> = {}): VehicleSample => ({
  vehicleId,
  sample: { ts: new Date(1_800_000_000_000 + seq * 1000), seq, coolantTempC: 90, ...reading },
});
const hot = (vehicleId: string, seq: number): VehicleSample => sample(vehicleId, seq, { coolantTempC: 108, dtcs: ['P0217'] });
const stored = (...ids: string[]) => ({ touchedVehicleIds: ids, neverScoredVehicleIds: [] });

/**
 * The scoring queue as ScoringProducer and a worker make it behave, in simulated milliseconds: one job
 * waits per vehicle; a request runs it no later than asked (a later waiting job is brought forward); while
 * the job runs, a prompt request is kept to run after it (delay counted from the end, as BullMQ's
 * keepLastIfActive does) and a routine one is dropped.
 */
class SimulatedQueue implements ScoreRequester {
  now = 0;
  readonly starts: number[] = [];
  private waitingRunAt: number | undefined;
  private activeUntil: number | undefined;
  private nextDelay: number | undefined;

  constructor(private readonly jobMs: number) {}

  async requestEach(requests: readonly TelemetryScoreRequest[]): Promise<void> {
    for (const { delayMs } of requests) this.ask(delayMs, false);
  }

  async requestEachSoon(requests: readonly TelemetryScoreRequest[]): Promise<void> {
    for (const { delayMs } of requests) this.ask(delayMs, true);
  }

  /** Jobs finish and start at `now`, before the commits of that millisecond (so those are not covered). */
  tick(): void {
    if (this.activeUntil !== undefined && this.activeUntil <= this.now) {
      this.activeUntil = undefined;
      if (this.nextDelay !== undefined) this.waitingRunAt = this.now + this.nextDelay;
      this.nextDelay = undefined;
    }
    if (this.activeUntil === undefined && this.waitingRunAt !== undefined && this.waitingRunAt <= this.now) {
      this.starts.push(this.now);
      this.waitingRunAt = undefined;
      this.activeUntil = this.now + this.jobMs;
    }
  }

  private ask(delayMs: number, keepLastIfActive: boolean): void {
    if (this.activeUntil !== undefined) {
      if (keepLastIfActive) this.nextDelay = delayMs;
      return;
    }
    this.waitingRunAt = Math.min(this.waitingRunAt ?? Infinity, this.now + delayMs);
  }
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing stream can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe(TelemetryScoreCadence.name, () => {
  it('asks a routine score once per interval per vehicle, delayed by the interval', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([sample('a', 1), sample('b', 1)], stored('a', 'b'), 0);
    sut.afterCommit([sample('a', 2)], stored('a'), 599_999);
    sut.afterCommit([sample('a', 3)], stored('a'), 600_000);

    expect(asked.routine).toEqual([
      [
        { vehicleId: 'a', delayMs: 600_000 },
        { vehicleId: 'b', delayMs: 600_000 },
      ],
      [{ vehicleId: 'a', delayMs: 600_000 }],
    ]);
    expect(asked.soon).toEqual([]);
  });

  it('asks a first score within the debounce for a vehicle never scored, again once a gap while it stays unscored', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([sample('new', 1), sample('old', 1)], { touchedVehicleIds: ['new', 'old'], neverScoredVehicleIds: ['new'] }, 0);
    sut.afterCommit([sample('new', 2)], { touchedVehicleIds: ['new'], neverScoredVehicleIds: ['new'] }, 3_000);
    sut.afterCommit([sample('new', 3)], { touchedVehicleIds: ['new'], neverScoredVehicleIds: ['new'] }, PROMPT_GAP_MS);
    // Scored now: from here on the routine cadence.
    sut.afterCommit([sample('new', 4)], stored('new'), PROMPT_GAP_MS + 1_000);

    expect(asked.soon).toEqual([[{ vehicleId: 'new', delayMs: 5_000 }], [{ vehicleId: 'new', delayMs: 5_000 }]]);
    expect(asked.routine).toEqual([[{ vehicleId: 'old', delayMs: 600_000 }], [{ vehicleId: 'new', delayMs: 600_000 }]]);
  });

  it('scores a warning within the debounce, and asks a catch-up at the end of the prompt gap for the warnings inside it', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([sample('a', 1), hot('hot', 1)], stored('a', 'hot'), 0);
    sut.afterCommit([hot('hot', 2)], stored('hot'), 30_000);
    sut.afterCommit([hot('hot', 3)], stored('hot'), 45_000);
    // The sign persists past the gap: the catch-up at 60 s opened the next window, which ends at 120 s.
    sut.afterCommit([hot('hot', 4)], stored('hot'), 70_000);

    expect(asked.soon).toEqual([
      [{ vehicleId: 'hot', delayMs: 5_000 }],
      [{ vehicleId: 'hot', delayMs: 30_000 }],
      [{ vehicleId: 'hot', delayMs: 15_000 }],
      [{ vehicleId: 'hot', delayMs: 50_000 }],
    ]);
    // The hot car is not asked for a routine score: the prompt ones cover it.
    expect(asked.routine).toEqual([[{ vehicleId: 'a', delayMs: 600_000 }]]);
  });

  it('starts a fresh window (debounce, not a catch-up) for a warning after a quiet gap', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([hot('hot', 1)], stored('hot'), 0);
    sut.afterCommit([hot('hot', 2)], stored('hot'), 10_000);
    sut.afterCommit([hot('hot', 3)], stored('hot'), 2 * PROMPT_GAP_MS + 1);

    expect(asked.soon.map(([request]) => request!.delayMs)).toEqual([5_000, 50_000, 5_000]);
  });

  it('ignores warnings in samples that were not stored (a redelivered duplicate was already handled)', () => {
    const { sut, asked } = cadence();

    sut.afterCommit([sample('hot', 1, { dtcs: ['P0217'] })], stored(), 0);

    expect(asked).toEqual({ soon: [], routine: [] });
  });

  it.each([1, 2, 3, 4, 5])('covers every warning of a random stream by a score starting within the gap, about one score a gap (seed %i)', (seed) => {
    const next = random(seed);
    const queue = new SimulatedQueue(50 + Math.floor(next() * 400));
    const sut = new TelemetryScoreCadence(queue, { warn: () => undefined }, options);
    const endMs = 8 * PROMPT_GAP_MS;
    // Bursts of warnings (every 0.2-3 s) separated by quiet spells of up to 2.5 gaps, until endMs.
    const warnings = new Set<number>();
    for (let at = 0; at < endMs;) {
      const burstEnd = at + next() * 150_000;
      for (; at < Math.min(burstEnd, endMs); at += 200 + Math.floor(next() * 2_800)) warnings.add(Math.floor(at));
      at = Math.floor(burstEnd + next() * 2.5 * PROMPT_GAP_MS);
    }
    let seq = 0;
    for (queue.now = 0; queue.now <= endMs + PROMPT_GAP_MS; queue.now += 1) {
      queue.tick();
      if (warnings.has(queue.now)) sut.afterCommit([hot('hot', (seq += 1))], stored('hot'), queue.now);
    }

    const delays = [...warnings].map((at) => (queue.starts.find((start) => start > at) ?? Infinity) - at);
    expect(Math.max(...delays)).toBeLessThanOrEqual(PROMPT_GAP_MS);
    // Rate: one score per gap while a sign persists, plus the prompt one that opens each episode.
    const episodes = [...warnings].sort((x, y) => x - y).filter((at, i, all) => i === 0 || at - all[i - 1]! >= PROMPT_GAP_MS).length;
    expect(queue.starts.length).toBeLessThanOrEqual(Math.ceil(endMs / PROMPT_GAP_MS) + 2 * episodes);
  });
});
