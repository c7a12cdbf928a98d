import { z } from 'zod';
import type { Env } from '../env-schema.js';

/**
 * Below this a healthy worker could be taken for a wedged one: BullMQ's worker blocks up to 5 s (drainDelay) waiting
 * for a job's marker, and up to 10 s (maximumBlockTimeout) until a delayed job is due.
 */
const MIN_WEDGED_AFTER_MS = 10_000;

export const queueWorkerShape = {
  /**
   * A worker process restarts itself (its supervisor starts it again) when one of its BullMQ workers took no job
   * for this long while jobs were ready and it had a free slot: a worker whose Redis connection never answers
   * again stays "running" and takes nothing (WedgedWorkerWatch). 0 turns the watch off.
   */
  QUEUE_WEDGED_AFTER_MS: z.coerce
    .number()
    .int()
    .nonnegative()
    .refine((ms) => ms === 0 || ms >= MIN_WEDGED_AFTER_MS, `must be 0 (off) or at least ${String(MIN_WEDGED_AFTER_MS)}`)
    .default(20_000),
};

export interface QueueWorkerConfig {
  readonly queueWorker: {
    /** 0: not watched. */
    readonly wedgedAfterMs: number;
  };
}

export const queueWorkerOf = (e: Env<typeof queueWorkerShape>): QueueWorkerConfig => ({
  queueWorker: { wedgedAfterMs: e.QUEUE_WEDGED_AFTER_MS },
});
