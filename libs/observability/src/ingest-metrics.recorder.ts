import type { Cluster, Redis } from 'ioredis';
import {
  BATCH_SIZE_BUCKETS,
  bucketField,
  bucketOf,
  COMMIT_LAG_BUCKETS,
  countField,
  INGEST_FIELD,
  ingestMetricsKey,
  sumField,
} from './ingest-metrics.model.js';

const FLUSH_INTERVAL_MS = 1000;

/**
 * Counts ingestion events in memory and adds them to one Redis hash once a second, so that any
 * process (the API's /metrics) can render them and several ingestion replicas add up.
 * Per-message Redis calls would cost more than the ingestion itself at 10,000 messages/s; here a
 * flush is one pipeline of HINCRBY/HINCRBYFLOAT whatever the rate.
 */
export class IngestMetricsRecorder {
  private readonly key: string;
  private integers = new Map<string, number>();
  private floats = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
  ) {
    this.key = ingestMetricsKey(prefix);
  }

  received(n: number): void {
    this.add(INGEST_FIELD.received, n);
  }

  stored(n: number): void {
    this.add(INGEST_FIELD.stored, n);
  }

  duplicates(n: number): void {
    this.add(INGEST_FIELD.duplicates, n);
  }

  rejected(reason: string, n = 1): void {
    this.add(`${INGEST_FIELD.rejectedPrefix}${reason}`, n);
  }

  /** One group commit: its size, and for each committed sample the lag from its time to the commit. */
  batch(size: number, commitLagMs: number[]): void {
    this.add(bucketField(INGEST_FIELD.batchSize, bucketOf(BATCH_SIZE_BUCKETS, size)), 1);
    this.add(countField(INGEST_FIELD.batchSize), 1);
    this.addFloat(sumField(INGEST_FIELD.batchSize), size);
    let lagSum = 0;
    for (const lagMs of commitLagMs) {
      // A device clock ahead of ours would give a negative lag: count it as no lag.
      const seconds = Math.max(0, lagMs) / 1000;
      lagSum += seconds;
      this.add(bucketField(INGEST_FIELD.commitLag, bucketOf(COMMIT_LAG_BUCKETS, seconds)), 1);
    }
    if (commitLagMs.length > 0) {
      this.add(countField(INGEST_FIELD.commitLag), commitLagMs.length);
      this.addFloat(sumField(INGEST_FIELD.commitLag), lagSum);
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    // Metrics must never keep a process alive that is otherwise done.
    this.timer.unref();
  }

  /** Stops the timer and writes what is still counted. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes the counts gathered since the last flush; safe to call at any time. */
  flush(): Promise<void> {
    // Chained so two flushes never interleave and a failed one's counts are merged back in order.
    this.flushing = this.flushing.then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    if (this.integers.size === 0 && this.floats.size === 0) return;
    const integers = this.integers;
    const floats = this.floats;
    // Swap before the await: events counted during the round trip go to the next flush.
    this.integers = new Map();
    this.floats = new Map();
    const pipeline = this.redis.pipeline();
    for (const [field, n] of integers) pipeline.hincrby(this.key, field, n);
    for (const [field, n] of floats) pipeline.hincrbyfloat(this.key, field, n);
    try {
      const results = await pipeline.exec();
      const failed = results?.find(([error]) => error !== null)?.[0];
      if (failed) throw failed;
    } catch {
      // Redis unavailable: keep the counts for the next attempt rather than lose them. A partially
      // applied pipeline may then count some fields twice, which beats dropping a whole second.
      for (const [field, n] of integers) this.add(field, n);
      for (const [field, n] of floats) this.addFloat(field, n);
    }
  }

  private add(field: string, n: number): void {
    if (n === 0) return;
    this.integers.set(field, (this.integers.get(field) ?? 0) + Math.round(n));
  }

  private addFloat(field: string, n: number): void {
    if (n === 0) return;
    this.floats.set(field, (this.floats.get(field) ?? 0) + n);
  }
}
