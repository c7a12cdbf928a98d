import { type ClientProxy, ClientProxyFactory, ClientRedis } from '@nestjs/microservices';
import type { Cluster } from 'ioredis';
import type { RedisClusterConfig, RedisConfig } from '#app/config';
import { createTransportClusterClient } from './redis-connection.js';
import { redisTransportOptions, TRANSPORT_RETRY_OPTIONS } from './redis-transport.options.js';

/**
 * Nest's Redis transport client on a Redis Cluster. Nest builds `new Redis({ host, port, ...options })` and has no
 * cluster option, so only the client factory is replaced: PUBLISH on a cluster reaches the subscribers of every
 * node (the cluster bus forwards it), so the rest of the transport works unchanged.
 */
export class ClusterRedisTransportClient extends ClientRedis {
  constructor(
    options: ConstructorParameters<typeof ClientRedis>[0],
    private readonly cluster: RedisClusterConfig,
  ) {
    super(options);
  }

  override createClient(): Promise<Cluster> {
    return Promise.resolve(createTransportClusterClient(this.cluster, (times) => this.createRetryStrategy(times)));
  }
}

/** The publishing end of the live events transport in the configured mode (ClientProxy.emit). */
export function liveEventsClient(config: RedisConfig): ClientProxy | ClusterRedisTransportClient {
  if (config.redisCluster === null) return ClientProxyFactory.create(redisTransportOptions(config.redisUrl));
  return new ClusterRedisTransportClient({ ...TRANSPORT_RETRY_OPTIONS }, config.redisCluster);
}
