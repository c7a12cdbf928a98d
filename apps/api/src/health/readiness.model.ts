import type { IngestionReplicaStatus } from '#app/observability';
import type { NodeCheck } from './cluster-nodes.model.js';

export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  /** Redis Cluster: `cluster_state` as a node reports it (`ok`: every slot has a master). */
  clusterState?: string;
  /** A clustered dependency (the broker tier, a Redis Cluster): each node, up or down. */
  nodes?: NodeCheck[];
}

/**
 * What the ingestion replicas last reported (see libs/observability's ingestion status): down when one of
 * them is stalled, disconnected or unsubscribed; unknown when none has reported lately (none running, or
 * this API sees another Redis), which does not make the API itself unready.
 */
export interface IngestionCheck {
  status: 'up' | 'down' | 'unknown';
  replicas: IngestionReplicaStatus[];
  error?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'not_ready';
  checks: { postgres: CheckResult; redis: CheckResult; mqtt: CheckResult; ingestion: IngestionCheck };
}
