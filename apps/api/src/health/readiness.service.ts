import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { connectAsync } from 'mqtt';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { readLiveReplicas } from '#app/observability';
import { RedisClientService } from '../common/redis-client.service.js';
import { withTimeout } from '../common/with-timeout.js';
import type { CheckResult, IngestionCheck, ReadinessReport } from './readiness.model.js';

// A readiness probe that hangs is worse than one that fails: every check gets this long.
const CHECK_TIMEOUT_MS = 2000;

@Injectable()
export class ReadinessService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly redis: RedisClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(): Promise<ReadinessReport> {
    const [postgres, redis, mqtt, ingestion] = await Promise.all([
      timed(() => this.prisma.$queryRaw`SELECT 1`),
      timed(() => this.pingRedis()),
      timed(() => this.touchBroker()),
      this.ingestion(),
    ]);
    const ready = [postgres, redis, mqtt].every((check) => check.status === 'up') && ingestion.status !== 'down';
    return { status: ready ? 'ready' : 'not_ready', checks: { postgres, redis, mqtt, ingestion } };
  }

  /** Telemetry reaching ingestion, as its replicas report it: a broker that takes publishes and delivers none is not ready. */
  async ingestion(): Promise<IngestionCheck> {
    try {
      const client = this.redis.client;
      if (client.status === 'wait') await client.connect();
      const replicas = await withTimeout(readLiveReplicas(client, this.config.queuePrefix), CHECK_TIMEOUT_MS, 'the check');
      if (replicas.length === 0) return { status: 'unknown', replicas };
      return { status: replicas.every((replica) => replica.state === 'ok') ? 'up' : 'down', replicas };
    } catch (error) {
      // Redis away: its own check says so; what ingestion does is then unknown, not down.
      return { status: 'unknown', replicas: [], error: (error as Error).message };
    }
  }

  private async pingRedis(): Promise<void> {
    const client = this.redis.client;
    if (client.status === 'wait') await client.connect();
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${String(reply)}`);
  }

  /** Connects and disconnects: proves the broker accepts clients, not just that its port is open. */
  private async touchBroker(): Promise<void> {
    const client = await connectAsync(
      this.config.mqtt.url,
      { clientId: `carhealth-api-ready-${randomUUID().slice(0, 8)}`, clean: true, reconnectPeriod: 0, connectTimeout: CHECK_TIMEOUT_MS },
      false,
    );
    await client.endAsync();
  }
}

async function timed(check: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  try {
    await withTimeout(check(), CHECK_TIMEOUT_MS, 'the check');
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}
