import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { closeRedisClient, createRedisClient, type RedisClient } from '#app/queue';

/** The API's one Redis connection (readiness ping, ingestion metrics, rate limits): one server or a cluster. */
@Injectable()
export class RedisClientService implements OnModuleDestroy {
  readonly client: RedisClient;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Fail a command fast while Redis is away rather than queue it: /health/ready must answer.
    this.client = createRedisClient(config, { maxRetriesPerRequest: 1, lazyConnect: true });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'wait') return;
    // quit() waits for a connection that may never come back (it reconnects while Redis is away): only when ready.
    await closeRedisClient(this.client);
  }
}
