import { Logger } from '@nestjs/common';
import { type CustomStrategy, ServerRedis } from '@nestjs/microservices';
import type { Cluster } from 'ioredis';
import type { RedisClusterConfig, RedisConfig } from '#app/config';
import { throttledLog } from '#app/observability';
import { createTransportClusterClient } from './redis-connection.js';
import { redisTransportOptions, TRANSPORT_RETRY_OPTIONS } from './redis-transport.options.js';

interface RedisClientLike {
  connect(): Promise<void>;
  subscribe(channel: string): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
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

  /** `cluster`: subscribe through an ioredis Cluster (a PUBLISH on any node reaches it); null: one Redis. */
  constructor(
    options: ConstructorParameters<typeof ServerRedis>[0],
    private readonly cluster: RedisClusterConfig | null = null,
  ) {
    super(options);
  }

  /** Nest builds `new Redis({ host, port })` and knows no cluster: in cluster mode the client is built here. */
  override createRedisClient(): Promise<Cluster> | ReturnType<ServerRedis['createRedisClient']> {
    if (this.cluster === null) return super.createRedisClient();
    return Promise.resolve(createTransportClusterClient(this.cluster, (times) => this.createRetryStrategy(times) ?? undefined));
  }

  override start(callback?: () => void): void {
    const [sub, pub] = this.clients();
    for (const client of [sub, pub]) void client.connect().catch(() => undefined); // retried by the retry strategy
    // Nest's bindEvents, for event handlers without wildcards (all this platform has), with the SUBSCRIBE's
    // failure handled: while Redis is away it waits in ioredis's queue, and a close rejects it.
    const onMessage = this.getMessageHandler(this.pubClient) as unknown as (channel: string, message: string) => void;
    sub.on('message', onMessage);
    for (const pattern of this.messageHandlers.keys()) {
      sub.subscribe(pattern).catch((error: unknown) => this.warn(`live events transport: SUBSCRIBE ${pattern} failed: ${String(error)}`));
    }
    callback?.();
  }

  /** Without QUIT, which waits for (or fails without) a connection: closing must not depend on Redis. */
  override close(): Promise<void> {
    this.isManuallyClosed = true;
    // Undefined when listen() never ran.
    for (const client of [this.subClient, this.pubClient] as (RedisClientLike | undefined)[]) client?.disconnect();
    return Promise.resolve();
  }

  private clients(): [RedisClientLike, RedisClientLike] {
    // Nest types its clients `any`: the assertion is what gives them a type here.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    return [this.subClient as unknown as RedisClientLike, this.pubClient as unknown as RedisClientLike];
  }

  override registerErrorListener(client: RedisClientLike): void {
    client.on('error', (error) => this.warn(`live events transport: ${error.message} (retrying)`));
  }
}

/** `app.connectMicroservice(liveEventsTransport(config))`: the resilient Redis server on REDIS_URL, or on the cluster. */
export function liveEventsTransport(config: RedisConfig): CustomStrategy {
  if (config.redisCluster !== null) return { strategy: new ResilientRedisTransportServer({ ...TRANSPORT_RETRY_OPTIONS }, config.redisCluster) };
  const { options } = redisTransportOptions(config.redisUrl);
  return { strategy: new ResilientRedisTransportServer(options ?? {}) };
}
