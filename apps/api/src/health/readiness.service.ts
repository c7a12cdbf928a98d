import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { type HealthCheckResult, HealthCheckService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { IngestionReplicaStatus } from '#app/observability';
import { DependencyHealthIndicator } from './dependency-health.indicator.js';
import { IngestionHealthIndicator } from './ingestion-health.indicator.js';
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
  ) {}

  async check(): Promise<ReadinessReport> {
    const result = await this.health
      .check([() => this.dependencies.postgres(), () => this.dependencies.redisPing(), () => this.dependencies.mqtt(), () => this.ingestion.check()])
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
}

// Terminus types an indicator's extra data as `any`: read it as unknown and check each field.
type Details = Readonly<Record<string, unknown>> | undefined;

function dependencyCheck(details: HealthIndicatorResult, key: string): CheckResult {
  const detail = details[key] as Details;
  const latencyMs = typeof detail?.responseTime === 'number' ? detail.responseTime : 0;
  if (detail?.status === 'up') return { status: 'up', latencyMs };
  return { status: 'down', latencyMs, error: typeof detail?.message === 'string' ? detail.message : 'no answer' };
}

function ingestionCheck(details: HealthIndicatorResult): IngestionCheck {
  const detail = details.ingestion as Details;
  const replicas = Array.isArray(detail?.replicas) ? (detail.replicas as IngestionReplicaStatus[]) : [];
  const status = detail?.status === 'up' ? 'up' : detail?.status === 'down' ? 'down' : 'unknown';
  return { status, replicas, ...(typeof detail?.error === 'string' ? { error: detail.error } : {}) };
}
