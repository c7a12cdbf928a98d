import { z } from 'zod';
import { optionalValue, positiveInt, type Env, type Rules } from '../env-schema.js';
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
  /**
   * Where ingestion reads telemetry: `mqtt` (the default: Mosquitto, or any MQTT 5 broker with `$share`) or `nats`
   * (the clustered NATS tier of scripts/nats-cluster.sh: one durable JetStream consumer shared by every replica).
   */
  INGESTION_SOURCE: z.enum(['mqtt', 'nats']).default('mqtt'),
  /** With INGESTION_SOURCE=nats: some of the cluster's client URLs, comma-separated (the client learns the rest). */
  NATS_SERVERS: z
    .string()
    .default('')
    .transform((value, context) => {
      const servers = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      for (const server of servers) {
        if (!/^(nats|tls):\/\/[^\s/]+:\d{1,5}$/.test(server)) {
          context.addIssue({ code: 'custom', message: `"${server}" is not nats://host:port (e.g. nats://10.0.0.1:4222,nats://10.0.0.2:4222)` });
          return z.NEVER;
        }
      }
      return servers;
    }),
  /** The platform's NATS user (scripts/nats-cluster.sh: `carhealth`, its password in <dir>/internal-password). */
  NATS_USER: optionalValue,
  NATS_PASSWORD: optionalValue,
  /** The durable consumer every ingestion replica pulls from: one name for all of them, so they share the work. */
  NATS_CONSUMER: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, - or _')
    .default('ingest'),
  /** How long a message taken by a replica may stay unacknowledged before NATS gives it to another replica. */
  NATS_ACK_WAIT_MS: positiveInt(60_000),
};

export const ingestionRules: Rules<typeof ingestionShape> = (env, context) => {
  if (env.INGESTION_SOURCE === 'nats' && env.NATS_SERVERS.length === 0) {
    context.addIssue({ code: 'custom', path: ['NATS_SERVERS'], message: 'is required with INGESTION_SOURCE=nats' });
  }
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
    readonly source: 'mqtt' | 'nats';
    /** Used with source `nats` only. */
    readonly nats: {
      readonly servers: readonly string[];
      readonly user: string | undefined;
      readonly password: string | undefined;
      readonly consumer: string;
      readonly ackWaitMs: number;
    };
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
    source: e.INGESTION_SOURCE,
    nats: { servers: e.NATS_SERVERS, user: e.NATS_USER, password: e.NATS_PASSWORD, consumer: e.NATS_CONSUMER, ackWaitMs: e.NATS_ACK_WAIT_MS },
  },
});
