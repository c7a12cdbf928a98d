import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { type HealthCheckResult, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '#app/config';
import type { IngestionReplicaStatus } from '#app/observability';
import { Cluster } from 'ioredis';
import { RedisClientService } from '../common/redis-client.service.js';
import { ClusterNodesHealthIndicator } from './cluster-nodes-health.indicator.js';
import { DependencyHealthIndicator } from './dependency-health.indicator.js';
import { IngestionHealthIndicator } from './ingestion-health.indicator.js';
import type { NodeCheck } from './cluster-nodes.model.js';
import type { CheckResult, IngestionCheck, ReadinessReport } from './readiness.model.js';

/**
 * Runs the readiness indicators with terminus and answers in the shape the scripts, CI and the operator's
 * probes already read (`status: ready | not_ready`, `checks.<name>.status`), rather than terminus' own.
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealthIndicator,
    private readonly ingestion: IngestionHealthIndicator,
    private readonly clusterNodes: ClusterNodesHealthIndicator,
    private readonly redis: RedisClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<ReadinessReport> {
    const result = await this.health
      .check([() => this.dependencies.postgres(), () => this.redisCheck(), () => this.mqttCheck(), () => this.ingestion.check()])
      .catch((error: unknown) => {
        // Terminus reports a down indicator by throwing 503 with the whole result.
        if (error instanceof ServiceUnavailableException) return error.getResponse() as HealthCheckResult;
        throw error;
      });
    const { details } = result;
    return {
      status: result.status === 'error' ? 'not_ready' : 'ready',
      checks: {
        postgres: dependencyCheck(details, 'postgres'),
        redis: dependencyCheck(details, 'redis'),
        mqtt: dependencyCheck(details, 'mqtt'),
        ingestion: ingestionCheck(details),
      },
    };
  }

  /** One Redis is pinged; a Redis Cluster is asked for its state and nodes. */
  private redisCheck() {
    const client = this.redis.client;
    return client instanceof Cluster ? this.clusterNodes.redisCluster(client) : this.dependencies.redisPing();
  }

  /** One broker at MQTT_URL, or each node of the broker tier (MQTT_BROKER_NODES). */
  private mqttCheck() {
    return this.config.mqtt.brokerNodes.length > 0 ? this.clusterNodes.brokers() : this.dependencies.mqtt();
  }
}

// Terminus types an indicator's extra data as `any`: read it as unknown and check each field.
type Details = Readonly<Record<string, unknown>> | undefined;

function dependencyCheck(details: HealthIndicatorResult, key: string): CheckResult {
  const detail = details[key] as Details;
  const latencyMs = typeof detail?.responseTime === 'number' ? detail.responseTime : 0;
  // The clustered checks list their nodes (cluster-nodes-health.indicator.ts); the single-server ones do not.
  const nodes = Array.isArray(detail?.nodes) ? { nodes: detail.nodes as NodeCheck[] } : {};
  const state = typeof detail?.clusterState === 'string' ? { clusterState: detail.clusterState } : {};
  if (detail?.status === 'up') return { status: 'up', latencyMs, ...state, ...nodes };
  return { status: 'down', latencyMs, error: typeof detail?.message === 'string' ? detail.message : 'no answer', ...state, ...nodes };
}

function ingestionCheck(details: HealthIndicatorResult): IngestionCheck {
  const detail = details.ingestion as Details;
  const replicas = Array.isArray(detail?.replicas) ? (detail.replicas as IngestionReplicaStatus[]) : [];
  const status = detail?.status === 'up' ? 'up' : detail?.status === 'down' ? 'down' : 'unknown';
  return { status, replicas, ...(typeof detail?.error === 'string' ? { error: detail.error } : {}) };
}
