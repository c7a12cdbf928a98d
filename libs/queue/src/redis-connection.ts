import type { OnApplicationShutdown } from '@nestjs/common';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import type { RedisClusterConfig, RedisConfig } from '#app/config';

/** A connection to the platform's Redis: one server (REDIS_URL) or a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

/** The per-connection options both modes take (in cluster mode they apply to each node's connection). */
export type RedisClientOptions = Pick<RedisOptions, 'maxRetriesPerRequest' | 'enableReadyCheck' | 'lazyConnect' | 'enableOfflineQueue'>;

/**
 * How long the cluster client waits before retrying a command that hit a failing-over slot (CLUSTERDOWN, a
 * master that stopped answering): a replica is promoted after cluster-node-timeout, so retrying every few
 * hundred ms keeps a command waiting through the failover rather than failing it.
 */
const CLUSTER_RETRY_DELAY_MS = 300;

/** The cluster's seed nodes are tried again this often while none answers (a whole-cluster outage). */
const CLUSTER_RECONNECT_DELAY_MS = 1000;

function clusterOptions(cluster: RedisClusterConfig, options: RedisClientOptions): ClusterOptions {
  const { enableOfflineQueue, lazyConnect, enableReadyCheck, ...perNode } = options;
  return {
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(enableReadyCheck === undefined ? {} : { enableReadyCheck }),
    retryDelayOnFailover: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnClusterDown: CLUSTER_RETRY_DELAY_MS,
    retryDelayOnTryAgain: CLUSTER_RETRY_DELAY_MS,
    clusterRetryStrategy: () => CLUSTER_RECONNECT_DELAY_MS,
    redisOptions: {
      ...perNode,
      ...(cluster.username === undefined ? {} : { username: cluster.username }),
      ...(cluster.password === undefined ? {} : { password: cluster.password }),
      ...(cluster.tls ? { tls: {} } : {}),
    },
  };
}

/**
 * A cluster client for the Nest Redis transport (live events): lazy, as Nest connects it itself, and retrying the
 * seed nodes by Nest's own policy (`retry`) where a single-node client would take it as its retryStrategy.
 */
export function createTransportClusterClient(cluster: RedisClusterConfig, retry: (times: number) => number | undefined): Cluster {
  return new Cluster(
    cluster.nodes.map(({ host, port }) => ({ host, port })),
    { ...clusterOptions(cluster, { lazyConnect: true }), clusterRetryStrategy: (times) => retry(times) ?? null },
  );
}

/** A client in the configured mode: `new Redis(REDIS_URL)`, or an ioredis Cluster on the seed nodes. */
export function createRedisClient(config: RedisConfig, options: RedisClientOptions): RedisClient {
  if (config.redisCluster === null) return new Redis(config.redisUrl, options);
  return new Cluster(
    config.redisCluster.nodes.map(({ host, port }) => ({ host, port })),
    clusterOptions(config.redisCluster, options),
  );
}

/**
 * A connection for BullMQ. Workers need maxRetriesPerRequest: null (blocking commands must not
 * fail on a Redis restart); producers use the same so a short Redis outage queues instead of throwing.
 */
const QUEUE_CONNECTION_OPTIONS: RedisClientOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };

/** A BullMQ connection in the configured mode (one Redis or a cluster). */
export function createQueueConnection(config: RedisConfig): RedisClient {
  return createRedisClient(config, QUEUE_CONNECTION_OPTIONS);
}

/** A BullMQ connection to one Redis server by URL (tests and tools that name their server). */
export function createRedisConnection(redisUrl: string): Redis {
  return new Redis(redisUrl, QUEUE_CONNECTION_OPTIONS);
}

/** Quits when connected; otherwise drops the connection (QUIT would wait for a Redis that may not come back). */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
  else client.disconnect();
}

/** The BullMQ connection as a Nest provider that closes with the application. */
export class RedisConnection implements OnApplicationShutdown {
  readonly client: RedisClient;

  constructor(config: RedisConfig) {
    this.client = createQueueConnection(config);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.client);
  }
}
