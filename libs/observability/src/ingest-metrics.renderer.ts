import type { Cluster, Redis } from 'ioredis';
import {
  BATCH_SIZE_BUCKETS,
  bucketField,
  COMMIT_LAG_BUCKETS,
  countField,
  type HistogramName,
  INGEST_FIELD,
  ingestMetricsKey,
  sumField,
} from './ingest-metrics.model.js';

const METRIC = 'carhealth_ingest';

/** Renders the ingestion metrics recorded in Redis as Prometheus text exposition format. */
export async function renderIngestMetrics(redis: Redis | Cluster, prefix: string): Promise<string> {
  const hash = await redis.hgetall(ingestMetricsKey(prefix));
  const value = (field: string): number => Number(hash[field] ?? 0);
  const lines: string[] = [];

  counter(lines, `${METRIC}_messages_received_total`, 'MQTT messages received by ingestion.', value(INGEST_FIELD.received));
  counter(lines, `${METRIC}_samples_stored_total`, 'Telemetry samples committed to Postgres.', value(INGEST_FIELD.stored));
  counter(lines, `${METRIC}_duplicates_total`, 'Samples already stored (same vehicle and seq), skipped.', value(INGEST_FIELD.duplicates));

  lines.push(`# HELP ${METRIC}_rejected_total Messages or samples refused by the device contract, by reason.`);
  lines.push(`# TYPE ${METRIC}_rejected_total counter`);
  const reasons = Object.keys(hash)
    .filter((field) => field.startsWith(INGEST_FIELD.rejectedPrefix))
    .sort();
  for (const field of reasons) {
    const reason = field.slice(INGEST_FIELD.rejectedPrefix.length);
    lines.push(`${METRIC}_rejected_total{reason="${escapeLabel(reason)}"} ${formatNumber(value(field))}`);
  }

  histogram(lines, hash, INGEST_FIELD.batchSize, BATCH_SIZE_BUCKETS, `${METRIC}_batch_size`, 'Samples per group commit.');
  histogram(
    lines,
    hash,
    INGEST_FIELD.commitLag,
    COMMIT_LAG_BUCKETS,
    `${METRIC}_commit_lag_seconds`,
    'Time from a sample (publish) time to its database commit.',
  );
  return `${lines.join('\n')}\n`;
}

function counter(lines: string[], name: string, help: string, value: number): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${formatNumber(value)}`);
}

function histogram(
  lines: string[],
  hash: Record<string, string>,
  field: HistogramName,
  buckets: readonly number[],
  name: string,
  help: string,
): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
  let cumulative = 0;
  for (const bound of buckets) {
    cumulative += Number(hash[bucketField(field, bound)] ?? 0);
    lines.push(`${name}_bucket{le="${bound}"} ${cumulative}`);
  }
  cumulative += Number(hash[bucketField(field, '+Inf')] ?? 0);
  lines.push(`${name}_bucket{le="+Inf"} ${cumulative}`);
  lines.push(`${name}_sum ${formatNumber(Number(hash[sumField(field)] ?? 0))}`);
  lines.push(`${name}_count ${formatNumber(Number(hash[countField(field)] ?? 0))}`);
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'NaN';
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
