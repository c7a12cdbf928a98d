import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { connectAsync } from 'mqtt';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { RedisClientService } from '../common/redis-client.service.js';
import { DatabasePingRepository } from './database-ping.repository.js';

// A readiness probe that hangs is worse than one that fails: every check gets this long.
export const CHECK_TIMEOUT_MS = 2000;

/** Terminus indicators for what the API cannot serve without: Postgres, Redis and the MQTT broker. */
@Injectable()
export class DependencyHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabasePingRepository,
    private readonly redis: RedisClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  postgres() {
    return this.indicators
      .check('postgres')
      .attempt(() => this.database.ping())
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  redisPing() {
    return this.indicators
      .check('redis')
      .attempt(async () => {
        const client = this.redis.client;
        if (client.status === 'wait') await client.connect();
        await client.ping();
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }

  /** Connects and disconnects: proves the broker accepts clients, not just that its port is open. */
  mqtt() {
    return this.indicators
      .check('mqtt')
      .attempt(async () => {
        const client = await connectAsync(
          this.config.mqtt.url,
          { clientId: `carhealth-api-ready-${randomUUID().slice(0, 8)}`, clean: true, reconnectPeriod: 0, connectTimeout: CHECK_TIMEOUT_MS },
          false,
        );
        await client.endAsync();
      })
      .withTimeout(CHECK_TIMEOUT_MS);
  }
}
