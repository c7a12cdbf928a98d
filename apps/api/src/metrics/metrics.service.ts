import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { readLiveReplicas, renderIngestMetrics } from '#app/observability';
import { DeliveryProducer, ScoringProducer } from '#app/queue';
import { RedisClientService } from '../common/redis-client.service.js';
import { withTimeout } from '../common/with-timeout.js';
import { registerPlatformMetrics, SCRAPE_SOURCE_TIMEOUT_MS } from './platform-metrics.collector.js';
import { PlatformMetricsRepository } from './platform-metrics.repository.js';

/**
 * The API's own metrics, platform gauges read at scrape time (scoring backlog, deliveries, queues), plus
 * ingestion's, which another process records in Redis. A registry per
 * instance (not prom-client's global one) so two apps in one process (tests) do not collide.
 */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  private readonly logger = new Logger(MetricsService.name);
  private readonly registry = new Registry();
  // Only their job counts are read (no job is ever added from here).
  private readonly scoringQueue: ScoringProducer;
  private readonly deliveryQueue: DeliveryProducer;
  private readonly httpRequests = new Counter({
    name: 'carhealth_api_http_requests_total',
    help: 'HTTP requests answered by the API, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly redis: RedisClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    database: PlatformMetricsRepository,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'carhealth_api_' });
    const warn = (line: string) => this.logger.warn(line);
    this.scoringQueue = new ScoringProducer(redis.client, config.queuePrefix, config.scoring.debounceMs, warn);
    this.deliveryQueue = new DeliveryProducer(redis.client, config.queuePrefix, warn);
    registerPlatformMetrics(this.registry, {
      database,
      scoring: this.scoringQueue,
      deliveries: this.deliveryQueue,
      ingestionReplicas: () => readLiveReplicas(redis.client, config.queuePrefix),
    });
  }

  /** Bounded: with Redis away a queue's close waits for a connection that may never come back. */
  async onModuleDestroy(): Promise<void> {
    await withTimeout(
      Promise.all([this.scoringQueue.close(), this.deliveryQueue.close()]),
      SCRAPE_SOURCE_TIMEOUT_MS,
      'closing the metrics queues',
    ).catch(() => undefined);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  countRequest(method: string, route: string, status: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
  }

  async render(): Promise<string> {
    const own = await this.registry.metrics();
    const client = this.redis.client;
    // Ingestion's counters live under the queue prefix, which every app of one deployment shares.
    const ingest = await withTimeout(
      (async () => {
        if (client.status === 'wait') await client.connect();
        return renderIngestMetrics(client, this.config.queuePrefix);
      })(),
      SCRAPE_SOURCE_TIMEOUT_MS,
      'Redis',
    ).catch((error: unknown) => `# ingestion metrics unavailable: ${(error instanceof Error ? error.message : String(error)).replace(/\n/g, ' ')}\n`);
    return `${own.trimEnd()}\n${ingest}`;
  }
}
