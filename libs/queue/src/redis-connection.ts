import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/**
 * A connection for BullMQ. Workers need maxRetriesPerRequest: null (blocking commands must not
 * fail on a Redis restart); producers use the same so a short Redis outage queues instead of throwing.
 */
export function createRedisConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/** The same, as a Nest provider that closes with the application. */
export class RedisConnection extends Redis implements OnApplicationShutdown {
  constructor(redisUrl: string) {
    super(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.quit().catch(() => this.disconnect());
  }
}
