/**
 * The shape of the ingestion metrics shared between the process that records them (ingestion) and
 * the one that serves them (the API's /metrics): one Redis hash, its field names and the buckets.
 */

/** Upper bounds of the batch size histogram (samples per group commit). */
export const BATCH_SIZE_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000, 5000] as const;

/** Upper bounds of the commit lag histogram, in seconds (sample/publish time to database commit). */
export const COMMIT_LAG_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] as const;

export const INGEST_FIELD = {
  received: 'received',
  stored: 'stored',
  duplicates: 'duplicates',
  rejectedPrefix: 'rejected:',
  batchSize: 'batch_size',
  commitLag: 'commit_lag',
} as const;

export type HistogramName = typeof INGEST_FIELD.batchSize | typeof INGEST_FIELD.commitLag;

/** The one Redis hash holding every ingestion counter under this prefix. */
export function ingestMetricsKey(prefix: string): string {
  return `${prefix}:metrics:ingest`;
}

/**
 * Hash field of one histogram bucket. Buckets are stored non-cumulative (each observation lands in
 * exactly one field, so a flush is a single HINCRBY per touched bucket); rendering accumulates them.
 */
export function bucketField(histogram: HistogramName, upperBound: number | '+Inf'): string {
  return `${histogram}:bucket:${upperBound}`;
}

export function sumField(histogram: HistogramName): string {
  return `${histogram}:sum`;
}

export function countField(histogram: HistogramName): string {
  return `${histogram}:count`;
}

/** The bucket an observation belongs to: the smallest upper bound >= value, or +Inf. */
export function bucketOf(buckets: readonly number[], value: number): number | '+Inf' {
  for (const bound of buckets) {
    if (value <= bound) return bound;
  }
  return '+Inf';
}
