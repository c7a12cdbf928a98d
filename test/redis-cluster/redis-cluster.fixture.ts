import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { RedisConfig } from '#app/config';
import { projectRoot } from '../support/test-env.js';

const run = promisify(execFile);
const SCRIPT = join(projectRoot, 'scripts/redis-cluster.sh');

/**
 * Private ports for the test clusters (never the shared Redis on 6380): 3 masters and 3 replicas each. Each test
 * file has a cluster of its own: jest runs files in parallel, and one file's kills must not reach another's.
 */
export const CLUSTER_BASE_PORT = 7101;
export const FAILOVER_CLUSTER_BASE_PORT = 7201;
const dirOf = (basePort: number): string => `/tmp/carhealth-redis-cluster-${String(basePort)}`;

/**
 * The local 3-master + 3-replica cluster of scripts/redis-cluster.sh, started for a test file (or found running:
 * the script is idempotent) and left running for the next one, as the shared servers are. Kills and freezes go
 * to the recorded redis-server pids of these private nodes only.
 */
export class LocalRedisCluster {
  readonly ports: number[];

  private constructor(private readonly basePort: number) {
    this.ports = [0, 1, 2, 3, 4, 5].map((i) => basePort + i);
  }

  /** Starts the missing nodes, creates the cluster if needed and waits for cluster_state:ok on every node. */
  static async start(basePort = CLUSTER_BASE_PORT): Promise<LocalRedisCluster> {
    await run('bash', [SCRIPT, 'start', String(basePort), dirOf(basePort)], { timeout: 120_000 });
    return new LocalRedisCluster(basePort);
  }

  /** REDIS_CLUSTER_NODES for an app started on this cluster. */
  get nodesVariable(): string {
    return this.ports.map((port) => `127.0.0.1:${port}`).join(',');
  }

  /** The platform's Redis configuration in cluster mode on this cluster. */
  config(queuePrefix: string): RedisConfig {
    return {
      redisUrl: 'redis://127.0.0.1:1/unused-in-cluster-mode',
      redisCluster: { nodes: this.ports.map((port) => ({ host: '127.0.0.1', port })), tls: false },
      queuePrefix,
    };
  }

  /** Asks the first node that answers. */
  private async ask<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    for (const port of this.ports) {
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      try {
        return await command(client);
      } catch {
        // This node is down (the test killed or froze it): ask the next.
      } finally {
        client.disconnect();
      }
    }
    throw new Error('no node of the test cluster answers');
  }

  /** The master serving `key`'s slot (CLUSTER KEYSLOT, then CLUSTER SLOTS) and its replica, by port (none while it is down). */
  async ownerOf(key: string, waitForReplicaMs = 0): Promise<{ master: number; replica: number | undefined }> {
    // A replica is listed in CLUSTER SLOTS once its master has it: just after a start that can take a moment.
    const until = Date.now() + waitForReplicaMs;
    for (;;) {
      const owner = await this.slotOwner(key);
      if (owner.replica !== undefined || Date.now() >= until) return owner;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  private slotOwner(key: string): Promise<{ master: number; replica: number | undefined }> {
    return this.ask(async (client) => {
      const slot = Number(await client.call('CLUSTER', 'KEYSLOT', key));
      // [[from, to, [host, port, id], [replica host, port, id], ...], ...]
      const ranges = (await client.call('CLUSTER', 'SLOTS')) as [number, number, ...[string, number, string][]][];
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (range === undefined) throw new Error(`slot ${slot} has no master`);
      const [, , master, replica] = range;
      return { master: master[1], replica: replica?.[1] };
    });
  }

  /** cluster_state of the node on `port` ('ok' once the cluster serves every slot). */
  async state(port: number): Promise<string> {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    try {
      return /cluster_state:(\w+)/.exec(String(await client.call('CLUSTER', 'INFO')))?.[1] ?? 'unknown';
    } catch (error) {
      return `unreachable (${error instanceof Error ? error.message : String(error)})`;
    } finally {
      client.disconnect();
    }
  }

  private readonly pids = new Map<number, number>();

  /**
   * Sends a signal to one node's redis-server (SIGKILL: a crash; SIGSTOP/SIGCONT: a frozen, then resumed node).
   * The pid is the node's own answer (INFO server), remembered: a frozen node cannot be asked for it.
   */
  async signal(port: number, signal: NodeJS.Signals): Promise<void> {
    let pid = this.pids.get(port);
    if (pid === undefined) {
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
      try {
        pid = Number(/process_id:(\d+)/.exec(await client.info('server'))?.[1]);
      } finally {
        client.disconnect();
      }
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`node ${port} did not tell its pid`);
      this.pids.set(port, pid);
    }
    process.kill(pid, signal);
    if (signal === 'SIGKILL') this.pids.delete(port);
  }

  /**
   * Cuts a replica off from its master as a lagging replica is: frozen (SIGSTOP) and its replication link closed by
   * the master, so nothing the master acknowledges from now on reaches it. Closing the link matters: data the
   * master had already written to the socket would still be read by the replica once resumed (loopback buffers).
   */
  async detachReplica(master: number, replica: number): Promise<void> {
    await this.signal(replica, 'SIGSTOP');
    const client = new Redis({ port: master, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await client.call('CLIENT', 'KILL', 'TYPE', 'replica');
    } finally {
      client.disconnect();
    }
  }

  /** Brings every node back (a killed one restarts from its nodes.conf and rejoins as a replica) and waits for ok. */
  async heal(): Promise<void> {
    await run('bash', [SCRIPT, 'start', String(this.basePort), dirOf(this.basePort)], { timeout: 120_000 });
  }
}
