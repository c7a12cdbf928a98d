import { z } from 'zod';
import { booleanFlag, optionalValue, type Env, type Rules } from '../env-schema.js';

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
  REDIS_CLUSTER_NODES: z
    .string()
    .default('')
    .transform((value, context) => {
      const nodes: RedisNode[] = [];
      for (const entry of value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '')) {
        const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(entry);
        const port = Number(match?.[2]);
        if (match === null || port < 1 || port > 65535) {
          context.addIssue({ code: 'custom', message: `"${entry}" is not host:port (e.g. 10.0.0.1:6379,10.0.0.2:6379)` });
          return z.NEVER;
        }
        nodes.push({ host: match[1].replace(/^\[(.*)\]$/, '$1'), port });
      }
      return nodes;
    }),
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

export interface RedisNode {
  readonly host: string;
  readonly port: number;
}
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
