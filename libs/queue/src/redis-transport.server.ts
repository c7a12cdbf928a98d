import { Logger } from '@nestjs/common';
import { type CustomStrategy, ServerRedis } from '@nestjs/microservices';
import { throttledLog } from '#app/observability';
import { redisTransportOptions } from './redis-transport.options.js';

interface RedisClientLike {
  connect(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The Nest Redis transport's server, started whether or not Redis answers. Nest's own fails `listen()` when
 * the first connection fails (so an API could not start during a Redis outage, which it otherwise survives)
 * and subscribes only after a first successful connect (so it would never subscribe after such a start).
 * Here the subscriptions are queued at once (ioredis sends them when it connects, and again after every
 * reconnect), the connection is retried for as long as the process lives, and errors are logged once per 10 s.
 */
export class ResilientRedisTransportServer extends ServerRedis {
  private readonly warn = throttledLog((line) => new Logger(ResilientRedisTransportServer.name).warn(line), 10_000);

  override start(callback?: () => void): void {
    const clients = [this.subClient, this.pubClient] as unknown as RedisClientLike[];
    for (const client of clients) void client.connect().catch(() => undefined); // retried by the retry strategy
    this.bindEvents(this.subClient, this.pubClient);
    callback?.();
  }

  override registerErrorListener(client: RedisClientLike): void {
    client.on('error', (error) => this.warn(`live events transport: ${error.message} (retrying)`));
  }
}

/** `app.connectMicroservice(liveEventsTransport(url))`: the resilient Redis server on REDIS_URL. */
export function liveEventsTransport(redisUrl: string): CustomStrategy {
  const { options } = redisTransportOptions(redisUrl);
  return { strategy: new ResilientRedisTransportServer(options ?? {}) };
}
