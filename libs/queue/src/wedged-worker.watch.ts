import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection.js';
import { DELAYED_SCORE_UNIT } from './redis-keys.js';
import { type WedgeVerdict, WedgedWorkerDetector } from './wedged-worker.detector.js';

/** The keys of a queue the watch reads (a BullMQ Queue's `keys`). */
export interface ReadyJobKeys {
  wait: string;
  prioritized: string;
  delayed: string;
  /** Its `paused` field marks a queue paused (Queue.pause): workers take nothing from it, by design. */
  meta: string;
}

export interface WedgedWorkerWatchOptions {
  queue: string;
  keys: ReadyJobKeys;
  /** The worker's connection: the watch reads on a duplicate of it, never on it. */
  connection: RedisClient;
  concurrency: number;
  wedgedAfterMs: number;
  /** How many jobs the worker has started and is running (RunningJobs). */
  progress: () => { started: number; running: number };
  onWedged: (description: string) => void;
}

/** Checks per wedge period: a wedge is acted on within 1/CHECKS_PER_PERIOD of the period after it is one. */
const CHECKS_PER_PERIOD = 6;
const MIN_CHECK_EVERY_MS = 1_000;
/** A read not answered within this (or half the period, if shorter) counts as no answer. */
const READ_TIMEOUT_MS = 5_000;

/**
 * Watches one BullMQ worker from outside it: every period/6 it reads how many jobs are ready on the queue and asks
 * WedgedWorkerDetector whether the worker should have taken one by now; once it should have for the whole period,
 * it describes the wedge once and calls `onWedged` (the consumer restarts the process: see worker-restart.ts).
 *
 * The reads go through a duplicate of the worker's connection, created by the watch and replaced after any read
 * that failed or timed out: a connection wedged the way the worker's is (a socket to a peer that went away without
 * closing it) would otherwise blind the watch too, and a fresh one finds the cluster's current masters.
 */
export class WedgedWorkerWatch {
  private readonly detector: WedgedWorkerDetector;
  private readonly checkEveryMs: number;
  private readonly readTimeoutMs: number;
  private reader: RedisClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private reported = false;

  constructor(private readonly options: WedgedWorkerWatchOptions) {
    this.detector = new WedgedWorkerDetector(options.wedgedAfterMs, options.concurrency);
    this.checkEveryMs = Math.max(MIN_CHECK_EVERY_MS, Math.round(options.wedgedAfterMs / CHECKS_PER_PERIOD));
    this.readTimeoutMs = Math.min(READ_TIMEOUT_MS, Math.max(MIN_CHECK_EVERY_MS, Math.round(options.wedgedAfterMs / 2)));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.checkEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.dropReader();
  }

  /** One check (the timer's; a test may call it). Overlapping calls are skipped: a read may take up to its timeout. */
  async check(nowMs = Date.now()): Promise<WedgeVerdict> {
    if (this.checking) return { wedged: false };
    this.checking = true;
    try {
      const readyJobs = await this.readyJobs(nowMs);
      const { started, running } = this.options.progress();
      const verdict = this.detector.observe({ atMs: nowMs, readyJobs, jobsStarted: started, running });
      if (verdict.wedged && !this.reported) {
        this.reported = true;
        const { queue, connection } = this.options;
        this.options.onWedged(
          `queue ${queue}: the worker took no job for ${String(Math.round(verdict.forMs / 1000))} s while ${String(verdict.readyJobs)} ` +
            `${verdict.readyJobs === 1 ? 'job was' : 'jobs were'} ready and ${String(verdict.running)} of its ${String(this.options.concurrency)} slots were busy ` +
            `(${String(started)} jobs started since it began; its Redis connection says ${connection.status})`,
        );
      }
      return verdict;
    } finally {
      this.checking = false;
    }
  }

  /** Jobs a worker could take now: waiting, prioritized, and delayed ones already due. Undefined when Redis did not answer. */
  private async readyJobs(nowMs: number): Promise<number | undefined> {
    const { keys } = this.options;
    this.reader ??= this.newReader();
    const reader = this.reader;
    let timeout: NodeJS.Timeout | undefined;
    try {
      const read = reader
        .pipeline()
        .hexists(keys.meta, 'paused')
        .llen(keys.wait)
        .zcard(keys.prioritized)
        .zcount(keys.delayed, 0, nowMs * DELAYED_SCORE_UNIT + (DELAYED_SCORE_UNIT - 1))
        .exec();
      const timedOut = new Promise<undefined>((resolve) => (timeout = setTimeout(() => resolve(undefined), this.readTimeoutMs)));
      const results = await Promise.race([read, timedOut]);
      if (results === undefined || results === null) throw new Error('no answer');
      const counts = results.map(([error, count]) => {
        if (error !== null || typeof count !== 'number') throw error ?? new Error('not a count');
        return count;
      });
      const [paused, ...ready] = counts;
      // A paused queue has nothing a worker may take: not a wedge, however many jobs wait in it.
      return paused === 1 ? 0 : ready.reduce((sum, count) => sum + count, 0);
    } catch {
      // An outage, a failover, a wedged socket: start the next read on a new connection.
      this.dropReader();
      return undefined;
    } finally {
      clearTimeout(timeout);
    }
  }

  private newReader(): RedisClient {
    const { connection } = this.options;
    // Each client type's own duplicate (the union's two signatures are not callable as one).
    const reader: RedisClient = connection instanceof Cluster ? connection.duplicate() : connection.duplicate();
    // Its failures show as reads that return no answer; the worker's own connection logs Redis' errors.
    reader.on('error', () => undefined);
    return reader;
  }

  private dropReader(): void {
    this.reader?.disconnect();
    this.reader = undefined;
  }
}
