import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { readLiveReplicas } from '#app/observability';
import { RedisClientService } from '../common/redis-client.service.js';
import { withTimeout } from '../common/with-timeout.js';
import { CHECK_TIMEOUT_MS } from './dependency-health.indicator.js';

/**
 * Telemetry reaching ingestion, as its replicas report it: a broker that takes publishes and delivers none is
 * not ready (down). None reporting lately (none running, or this API sees another Redis) is unknown, which does
 * not make the API itself unready: terminus' `degraded`, which keeps the check at 200.
 */
@Injectable()
export class IngestionHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check() {
    const session = this.indicators.check('ingestion');
    try {
      const client = this.redis.client;
      if (client.status === 'wait') await client.connect();
      const replicas = await withTimeout(readLiveReplicas(client, this.config.queuePrefix), CHECK_TIMEOUT_MS, 'the check');
      if (replicas.length === 0) return session.degraded({ replicas });
      return replicas.every((replica) => replica.state === 'ok') ? session.up({ replicas }) : session.down({ replicas });
    } catch (error) {
      // Redis away: its own check says so; what ingestion does is then unknown, not down.
      return session.degraded({ replicas: [], error: error instanceof Error ? error.message : String(error) });
    }
  }
}
