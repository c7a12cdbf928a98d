import { Redis } from 'ioredis';

/**
 * A connection for BullMQ. Workers need maxRetriesPerRequest: null (blocking commands must not
 * fail on a Redis restart); producers use the same so a short Redis outage queues instead of throwing.
 */
export function createRedisConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}
