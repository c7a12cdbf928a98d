import type pg from 'pg';

export interface PhaseResult {
  /** Publishes the broker acknowledged. */
  published: number;
  /** Rows stored. */
  stored: number;
  /** Distinct (vehicle, seq) among them: published - distinct were lost, stored - distinct stored twice. */
  distinct: number;
  /** Rows over the span from the first sample's publish to the last one's store. */
  messagesPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

/** The pipeline's table, or the bare baseline subscriber's (test/bench/baseline-subscriber.ts). */
export type StoredTable = 'telemetry_samples' | 'bench_baseline_samples';

/**
 * Waits until `published` rows are in `table` (or `timeoutMs`), then reads throughput and publish-to-stored latency
 * from the rows themselves: the sample's `ts` (set at publish) to its row's receive time (`clock_timestamp()` in the
 * insert, a few ms before COMMIT). The table holds only this phase's rows (the caller truncates it before).
 */
export async function measureStored(pool: pg.Pool, table: StoredTable, published: number, timeoutMs: number): Promise<PhaseResult> {
  const deadline = Date.now() + timeoutMs;
  let stored: number;
  for (;;) {
    stored = Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    if (stored >= published || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const pipeline = table === 'telemetry_samples';
  const stats = await pool.query<{ distinct: string; span: number; p50: number; p99: number }>(
    `SELECT count(DISTINCT (key, seq)) AS distinct,
            extract(epoch FROM max(received) - min(ts)) AS span,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM received - ts) * 1000) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM received - ts) * 1000) AS p99
     FROM (SELECT ${pipeline ? '"vehicleId"::text' : 'vin'} AS key, seq, ts,
                  ${pipeline ? '"receivedAt"' : 'received_at'} AS received FROM ${table}) t`,
  );
  const row = stats.rows[0]!;
  return {
    published,
    stored,
    distinct: Number(row.distinct),
    messagesPerSec: Math.round(stored / Number(row.span)),
    p50Ms: Math.round(Number(row.p50)),
    p99Ms: Math.round(Number(row.p99)),
  };
}
