import { z } from 'zod';
import { positiveInt, type Env } from '../env-schema.js';

export const scoringShape = {
  /**
   * How long a prompt score waits (a warning sign in the telemetry, a car's first telemetry): coalesces the messages
   * of one report, which arrive within milliseconds of each other. It was 5 s, most of the owner's wait for a warning
   * at fleet size (issue 12 item 6: 10 s p99); a longer burst (a buffered upload) is covered by the prompt gap's
   * catch-up score, not by waiting longer for the first one.
   */
  SCORING_DEBOUNCE_MS: z.coerce.number().int().nonnegative().default(1000),
  /**
   * A driving car is rescored from routine telemetry at most this often: its trends move over days, and
   * rescoring every car every few seconds would cost the worker a score per car per debounce window.
   */
  SCORING_INTERVAL_MS: z.coerce.number().int().nonnegative().default(600_000),
  /**
   * A car that keeps sending a warning sign (a fault code that stays on) is rescored at most this often, and every
   * warning is covered by a score starting within it: the owner hears of a sign within seconds, and a stuck
   * code does not cost a score per message. Never below the debounce.
   */
  SCORING_PROMPT_GAP_MS: positiveInt(60_000),
  RECONCILE_INTERVAL_MS: positiveInt(60000),
  /**
   * Full rebuilds of a car's model summaries (a new model version, a late sample) per second per worker:
   * each reads the whole 30-day window (~150 ms of work, against ~3 ms for an incremental score), so a
   * deploy that changes a model does not stall the fleet's routine scores. A car's first score is never held.
   */
  SCORING_REBUILDS_PER_SECOND: z.coerce.number().positive().default(4),
  /**
   * Cars whose model-state rows (state and summaries, ~70 KB on a 30-day car) a worker keeps as last read, so a
   * score reads again only the rows that changed, and the closed hours of device tyre readings it read for the car
   * (TireHourCache: at most ~3 days of hourly medians, a few KB). A hit needs the car to come back before it is pushed
   * out: size it to the cars one worker scores (~70 KB each); 0 turns both caches off.
   */
  SCORING_STATE_CACHE_VEHICLES: z.coerce.number().int().nonnegative().default(2000),
  /**
   * Scores one worker process runs at once. With SCORING_BATCH_IN_FLIGHT > 0, concurrent scores share their
   * scoringStart, scoringInput and save statements (group commit: StatementBatcher), which needs several scores in
   * flight: 16 lets batches of several cars form while the models of others run, and stays below twice the worker's
   * 10 pooled connections. Without batching 4 (the default) is what was measured and tuned.
   */
  SCORING_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /**
   * 0 (the default): every score statement is sent at once, alone. n > 0: at most n statements of each kind (start,
   * input, save) in flight per worker; a score's statement arriving while n are in flight waits for one to return
   * and goes with the others that waited, as one statement. Off by default: bench:scoring measured the batched
   * scores slower in one process on 2 cores (README, "Incremental scoring (issue 12)", group commit).
   */
  SCORING_BATCH_IN_FLIGHT: z.coerce.number().int().nonnegative().max(8).default(0),
};

export interface ScoringConfig {
  readonly scoring: {
    readonly debounceMs: number;
    readonly intervalMs: number;
    readonly promptGapMs: number;
    readonly reconcileIntervalMs: number;
    readonly rebuildsPerSecond: number;
    readonly stateCacheVehicles: number;
    readonly concurrency: number;
    /** 0: no batching; n: statements of a kind in flight before calls batch (StatementBatcher). */
    readonly batchInFlight: number;
  };
}

export const scoringOf = (e: Env<typeof scoringShape>): ScoringConfig => ({
  scoring: {
    debounceMs: e.SCORING_DEBOUNCE_MS,
    intervalMs: e.SCORING_INTERVAL_MS,
    promptGapMs: e.SCORING_PROMPT_GAP_MS,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_MS,
    rebuildsPerSecond: e.SCORING_REBUILDS_PER_SECOND,
    stateCacheVehicles: e.SCORING_STATE_CACHE_VEHICLES,
    concurrency: e.SCORING_CONCURRENCY,
    batchInFlight: e.SCORING_BATCH_IN_FLIGHT,
  },
});
