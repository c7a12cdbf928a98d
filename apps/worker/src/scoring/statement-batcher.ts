import type { ScoringConfig } from '#app/config';

/**
 * A statement with a batched form: `one` is the single call's statement, `many` the same work for several calls.
 */
export interface BatchableStatement<I, O> {
  /** One call alone (the single-car SQL): what a call sent by itself runs, and each member's rerun after a failed batch. */
  one(input: I): Promise<O>;
  /** Several calls in one statement: one result per input, in the inputs' order. */
  many(inputs: readonly I[]): Promise<O[]>;
  /** Calls with the same key never share a batch (two scores of one car: one statement cannot update a row twice). */
  key(input: I): string;
}

interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for one statement: a call made while none is in flight is sent alone at once; calls made while one
 * is in flight wait for it and are then sent together as one statement (up to `maxBatch`; the rest go in the
 * next). No timer: under low load nothing waits, under load the batches grow by themselves, as many as arrived
 * during one statement's round trip. Each caller gets its own result or its own error: when a batch fails, its
 * members are rerun one by one with the single statement, so only the bad one fails.
 *
 * Written here rather than taken from npm: DataLoader (and its kin) batches the calls of one event-loop tick, so
 * the scores, which reach their statements at different moments, would mostly go alone; it also fails every
 * member with the batch's error and caches results by key, neither of which a write may do. Libraries that batch
 * by size or time (p-batch-like ones) add a wait to every call under low load. What is needed is ~60 lines.
 */
export class StatementBatcher<I, O> {
  private waiting: Pending<I, O>[] = [];
  private inFlight = 0;

  constructor(
    private readonly statement: BatchableStatement<I, O>,
    private readonly maxBatch: number,
    /** Told the size of every statement sent (1: alone), for tests and measurements. */
    private readonly onSend?: (size: number) => void,
    /**
     * Statements in flight at once before calls wait to be batched. 1 is pure group commit (the most sharing); 2 lets
     * Postgres work on two at once (two cores) while still batching whatever arrives when both are busy; Infinity
     * never batches (every call is sent at once, alone).
     */
    private readonly maxInFlight = 1,
  ) {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new Error(`maxBatch must be a positive integer, got ${String(maxBatch)}`);
    if (!(maxInFlight >= 1)) throw new Error(`maxInFlight must be at least 1, got ${String(maxInFlight)}`);
  }

  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.inFlight < this.maxInFlight) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.inFlight++;
    try {
      while (this.waiting.length > 0) await this.send(this.take());
    } finally {
      this.inFlight--;
    }
  }

  /** The oldest calls, up to maxBatch, no two with one key; the others keep their places for the next batch. */
  private take(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    const keys = new Set<string>();
    const left: Pending<I, O>[] = [];
    for (const pending of this.waiting) {
      const key = this.statement.key(pending.input);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(pending);
      } else {
        left.push(pending);
      }
    }
    this.waiting = left;
    return batch;
  }

  private async send(batch: readonly Pending<I, O>[]): Promise<void> {
    this.onSend?.(batch.length);
    if (batch.length > 1) {
      let outputs: O[] | undefined;
      try {
        outputs = await this.statement.many(batch.map((pending) => pending.input));
      } catch {
        // Rerun below, one by one: the member that made the batch fail gets its own error from its own statement.
      }
      if (outputs !== undefined && outputs.length === batch.length) {
        batch.forEach((pending, index) => pending.resolve(outputs[index]));
        return;
      }
    }
    // One at a time (a batch's reruns too): concurrent reruns of a failed batch would only compete for the same rows.
    for (const pending of batch) {
      try {
        pending.resolve(await this.statement.one(pending.input));
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}

/** StatementBatcher's maxInFlight for SCORING_BATCH_IN_FLIGHT: 0 (or no config: tests, benchmarks) never batches. */
export const statementsInFlight = (config: ScoringConfig | undefined): number =>
  config === undefined || config.scoring.batchInFlight === 0 ? Infinity : config.scoring.batchInFlight;
