import type { Cluster, Redis } from 'ioredis';

/**
 * What each ingestion replica reports about its own broker connections, shared between the process that
 * writes it (ingestion) and the ones that read it (the API's /health/ready and /metrics): one Redis hash per
 * deployment, a field per replica, a JSON value.
 *
 * Why ingestion reports this at all: a broker can hold a connection open and acknowledge every car's
 * publish while nothing reaches ingestion (a shared subscription the broker forgot after a restart, a
 * subscriber refused at delivery). Only a comparison with what the broker received shows it.
 */

/**
 * - `ok`: subscribed, and telemetry arrives whenever the broker receives publishes;
 * - `stalled`: the broker received publishes over the window and none reached this replica;
 * - `unsubscribed`: connected but a subscription was refused or not yet granted;
 * - `disconnected`: a broker connection is down (reconnecting).
 */
export type IngestionReplicaState = 'ok' | 'stalled' | 'unsubscribed' | 'disconnected';

export interface IngestionReplicaStatus {
  /** The replica's client id prefix (INGEST_CLIENT_ID). */
  replica: string;
  state: IngestionReplicaState;
  /** Why, in words, when the state is not ok. */
  detail?: string;
  reportedAt: number;
  connections: number;
  subscribed: number;
  /** When the newest message reached this replica (epoch ms); null: none since it started. */
  lastMessageAt: number | null;
  /** Over the stall window: publishes the broker says it received ($SYS), null when the broker does not say. */
  brokerPublishes: number | null;
  /** Over the same window: messages this replica received. */
  received: number;
}

/** A replica that has not reported for this long is gone (stopped, or its Redis writes fail). */
export const INGESTION_STATUS_STALE_MS = 30_000;

export function ingestionStatusKey(prefix: string): string {
  return `${prefix}:ingestion:replicas`;
}

/** Parses one hash value; anything unreadable is dropped rather than trusted. */
export function parseReplicaStatus(raw: string): IngestionReplicaStatus | undefined {
  try {
    const value = JSON.parse(raw) as Partial<IngestionReplicaStatus>;
    if (typeof value.replica !== 'string' || typeof value.state !== 'string' || typeof value.reportedAt !== 'number') return undefined;
    return value as IngestionReplicaStatus;
  } catch {
    return undefined;
  }
}

/** The replicas that reported recently, read from the hash (`HGETALL`). */
export function liveReplicas(hash: Record<string, string>, nowMs: number): IngestionReplicaStatus[] {
  return Object.values(hash)
    .map(parseReplicaStatus)
    .filter((status): status is IngestionReplicaStatus => status !== undefined && nowMs - status.reportedAt <= INGESTION_STATUS_STALE_MS);
}

/** Reads the deployment's replica statuses from Redis and keeps the recent ones (readiness and metrics alike). */
export async function readLiveReplicas(redis: Redis | Cluster, prefix: string, nowMs = Date.now()): Promise<IngestionReplicaStatus[]> {
  return liveReplicas(await redis.hgetall(ingestionStatusKey(prefix)), nowMs);
}
