import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#app/config';

/** The API's one Redis connection (readiness ping, ingestion metrics). */
@Injectable()
export class RedisClientService implements OnModuleDestroy {
  readonly client: Redis;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // Fail a command fast while Redis is away rather than queue it: /health/ready must answer.
    this.client = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'wait' || this.client.status === 'end') return;
    // quit() waits for a connection that may never come back (it reconnects while Redis is away): only when ready.
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }
}
