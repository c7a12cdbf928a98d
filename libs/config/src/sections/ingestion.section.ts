import { z } from 'zod';
import { positiveInt, type Env } from '../env-schema.js';
import { INGEST_CLIENT_ID_PREFIX } from '../mqtt-client-ids.js';

export const ingestionShape = {
  /** Stable per replica: the broker keeps this client's session (and unacknowledged messages). */
  INGEST_CLIENT_ID: z
    .string()
    .refine((value) => value.startsWith(INGEST_CLIENT_ID_PREFIX) && value.length > INGEST_CLIENT_ID_PREFIX.length, {
      error: `must start with ${INGEST_CLIENT_ID_PREFIX}: the client ids no device can be given (libs/config mqtt-client-ids.ts)`,
    })
    .default('ingest-1'),
  INGEST_CONNECTIONS: positiveInt(2),
  INGEST_BATCH_MAX: positiveInt(5000),
  INGEST_FLUSH_MS: positiveInt(20),
  INGEST_MAX_INFLIGHT: positiveInt(10000),
  /** How often a lost broker connection is retried: short, a shared subscription is missing until it is back. */
  INGEST_RECONNECT_MS: positiveInt(250),
  /** How often each replica reports its connections and traffic (read by /health/ready and /metrics). */
  INGEST_STATUS_INTERVAL_MS: positiveInt(5000),
  /** Stalled: the broker received publishes for this long and none reached ingestion (spans several $SYS updates). */
  INGEST_STALL_WINDOW_MS: positiveInt(60000),
  INGEST_METRICS_PORT: z.coerce.number().int().nonnegative().default(0),
};

export interface IngestionSettings {
  readonly ingestion: {
    readonly clientId: string;
    readonly connections: number;
    readonly batchMax: number;
    readonly flushMs: number;
    readonly maxInflight: number;
    readonly reconnectMs: number;
    readonly statusIntervalMs: number;
    readonly stallWindowMs: number;
    readonly metricsPort: number;
  };
}

export const ingestionOf = (e: Env<typeof ingestionShape>): IngestionSettings => ({
  ingestion: {
    clientId: e.INGEST_CLIENT_ID,
    connections: e.INGEST_CONNECTIONS,
    batchMax: e.INGEST_BATCH_MAX,
    flushMs: e.INGEST_FLUSH_MS,
    maxInflight: e.INGEST_MAX_INFLIGHT,
    reconnectMs: e.INGEST_RECONNECT_MS,
    statusIntervalMs: e.INGEST_STATUS_INTERVAL_MS,
    stallWindowMs: e.INGEST_STALL_WINDOW_MS,
    metricsPort: e.INGEST_METRICS_PORT,
  },
});
