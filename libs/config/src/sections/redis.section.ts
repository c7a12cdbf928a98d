import { z } from 'zod';
import { booleanFlag, optionalValue, type Env, type Rules } from '../env-schema.js';
import { type HostPort, hostPortList } from '../host-port-list.js';

export const redisShape = {
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .default('redis://127.0.0.1:6380'),
  QUEUE_PREFIX: z.string().default('carhealth'),
  /**
   * Redis Cluster mode: some of the cluster's nodes as host:port, comma-separated (the client discovers the
   * rest). Empty (the default): one Redis at REDIS_URL. Set, REDIS_URL is not used.
   */
  REDIS_CLUSTER_NODES: hostPortList('10.0.0.1:6379,10.0.0.2:6379'),
  /** The cluster nodes' ACL user and password (REDIS_URL carries them in single-node mode). */
  REDIS_CLUSTER_USERNAME: optionalValue,
  REDIS_CLUSTER_PASSWORD: optionalValue,
  /** TLS to the cluster nodes (rediss:// says it in single-node mode). */
  REDIS_CLUSTER_TLS: booleanFlag,
};

export const redisRules: Rules<typeof redisShape> = (env, context) => {
  // In cluster mode the platform wraps the prefix in hash tags ({prefix:queue}); a brace of its own would
  // become the tag instead, putting every queue (or none of a queue's keys together) in one slot.
  if (env.REDIS_CLUSTER_NODES.length > 0 && /[{}]/.test(env.QUEUE_PREFIX)) {
    context.addIssue({
      code: 'custom',
      path: ['QUEUE_PREFIX'],
      message: 'must not contain { or } with REDIS_CLUSTER_NODES: the platform adds the cluster hash tags itself',
    });
  }
};

export type RedisNode = HostPort;
/** A Redis Cluster's seed nodes and how to log in to every node. */
export interface RedisClusterConfig {
  readonly nodes: readonly RedisNode[];
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
}
export interface RedisConfig {
  /** The single Redis (the default mode); not used when redisCluster is set. */
  readonly redisUrl: string;
  /** Redis Cluster mode (REDIS_CLUSTER_NODES); null: one Redis at redisUrl. */
  readonly redisCluster: RedisClusterConfig | null;
  readonly queuePrefix: string;
}

export const redisOf = (e: Env<typeof redisShape>): RedisConfig => ({
  redisUrl: e.REDIS_URL,
  redisCluster:
    e.REDIS_CLUSTER_NODES.length === 0
      ? null
      : {
          nodes: e.REDIS_CLUSTER_NODES,
          ...(e.REDIS_CLUSTER_USERNAME === undefined ? {} : { username: e.REDIS_CLUSTER_USERNAME }),
          ...(e.REDIS_CLUSTER_PASSWORD === undefined ? {} : { password: e.REDIS_CLUSTER_PASSWORD }),
          tls: e.REDIS_CLUSTER_TLS,
        },
  queuePrefix: e.QUEUE_PREFIX,
});
