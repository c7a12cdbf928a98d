import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { NATS_PLATFORM_USER } from '#app/broker-auth';
import { testEnv } from '../support/test-env.js';
import type { NpmCluster } from './npm-cluster.js';

/** What the cluster fault tests read of an API's /health/ready. */
export interface ReadinessReport {
  status: string;
  checks: {
    redis: { status: string; clusterState?: string };
    mqtt: { nodes?: { node: string; status: string }[] };
    ingestion: { replicas?: { replica: string; state: string; reportedAt: number }[] };
  };
}

/** Every API's readiness report, null for an API that did not answer within 10 s. */
export function readinessReports(cluster: NpmCluster): Promise<(ReadinessReport | null)[]> {
  return Promise.all(
    cluster.apiPorts.map((port) =>
      fetch(`http://127.0.0.1:${String(port)}/health/ready`, { signal: AbortSignal.timeout(10_000) })
        .then((response) => response.json() as Promise<ReadinessReport>)
        .catch(() => null),
    ),
  );
}

/** The `$MQTT_msgs` stream's leader and the replicas that caught up, by node index (the stream every QoS 1 PUBACK waits for). */
export async function mqttMsgsPeers(cluster: NpmCluster): Promise<{ leader: number | undefined; current: number[] }> {
  const connection = await connect({ servers: cluster.natsServers().split(','), user: NATS_PLATFORM_USER, pass: cluster.platformPassword() });
  try {
    const manager = await jetstreamManager(connection, { timeout: 20_000 });
    const { cluster: group } = await manager.streams.info('$MQTT_msgs');
    const index = (name: string | undefined) => [0, 1, 2].find((node) => `n${String(cluster.natsBase + node)}` === name);
    const leader = index(group?.leader);
    const replicas = (group?.replicas ?? []).filter((replica) => replica.current).map((replica) => index(replica.name));
    return { leader, current: [leader, ...replicas].filter((node): node is number => node !== undefined) };
  } finally {
    await connection.close();
  }
}

/**
 * Ingestion's durable consumer of `$MQTT_msgs` (NATS_CONSUMER, `ingest` in the cluster): messages delivered to a replica
 * and not acknowledged yet (what a replica's death leaves for NATS_ACK_WAIT_MS).
 */
export async function ingestConsumer(cluster: NpmCluster): Promise<{ ackPending: number }> {
  const connection = await connect({ servers: cluster.natsServers().split(','), user: NATS_PLATFORM_USER, pass: cluster.platformPassword() });
  try {
    const manager = await jetstreamManager(connection, { timeout: 20_000 });
    const info = await manager.consumers.info('$MQTT_msgs', 'ingest');
    return { ackPending: info.num_ack_pending };
  } finally {
    await connection.close();
  }
}

/** The pid of the ingestion replica whose INGEST_CLIENT_ID is `clientId` (pm2 passes it in the app's environment). */
export function replicaPid(dir: string, clientId: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environment = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (
        environment.includes(`PM2_HOME=${dir}/pm2`) &&
        environment.includes(`INGEST_CLIENT_ID=${clientId}`) &&
        command.includes('dist/apps/ingestion/src/main.js')
      ) {
        return Number(entry);
      }
    } catch {
      // A process that ended meanwhile, or not ours to read.
    }
  }
  return undefined;
}

/** One Redis node's answer to `command` (a fresh connection, no retries: a dead node answers with an error). */
export async function askRedis(port: number, ...command: [string, ...string[]]): Promise<unknown> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

/**
 * The Redis Cluster master serving the scoring queue's slot and its replica, by port. BullMQ's keys of one queue share
 * a slot (`{prefix:scoring}`); the cluster's queue prefix is its database's name (scripts/cluster.sh: QUEUE_PREFIX).
 */
export async function scoringQueueOwner(cluster: NpmCluster): Promise<{ master: number; replica: number; pidFile: string }> {
  const prefix = new URL(testEnv.databaseUrl).pathname.slice(1).replaceAll('_', '-');
  const [via] = cluster.redisPorts();
  const slot = Number(await askRedis(via, 'CLUSTER', 'KEYSLOT', `{${prefix}:scoring}`));
  const ranges = (await askRedis(via, 'CLUSTER', 'SLOTS')) as [number, number, ...[string, number, string][]][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  if (range === undefined) throw new Error(`slot ${String(slot)} has no master`);
  const [, , master, replica] = range;
  if (replica === undefined) throw new Error(`the master ${String(master[1])} of the scoring queue has no replica`);
  return { master: master[1], replica: replica[1], pidFile: join(cluster.dir, 'redis', String(master[1]), 'redis.pid') };
}

/** Whether the Redis node on `port` answers as a master of a cluster whose state is ok (a promoted replica). */
export async function servesAsMaster(port: number): Promise<boolean> {
  const info = String(await askRedis(port, 'CLUSTER', 'INFO').catch(() => ''));
  const role = String(await askRedis(port, 'ROLE').catch(() => ''));
  return info.includes('cluster_state:ok') && role.startsWith('master');
}

/** The pid a node wrote in its pid file. */
export function pidIn(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

/** The worker apps `npm run cluster` runs under pm2, by their log's name. */
const WORKERS = ['worker-1', 'worker-2'];

/** The restarts WedgedWorkerWatch asked for in the workers' logs (each logs "restarting this process" once). */
export function wedgeRestarts(cluster: NpmCluster): number {
  let restarts = 0;
  for (const name of WORKERS) {
    try {
      restarts += readFileSync(join(cluster.dir, 'logs', `${name}.log`), 'utf8').split('restarting this process').length - 1;
    } catch {
      // No log yet: no restart either.
    }
  }
  return restarts;
}

/**
 * The last `lines` lines of each worker's log, for a failed run's output: CI keeps only what the test prints.
 */
export function workerLogTails(cluster: NpmCluster, lines = 40): string {
  return WORKERS.map((name) => {
    let text: string;
    try {
      text = readFileSync(join(cluster.dir, 'logs', `${name}.log`), 'utf8');
    } catch (error) {
      text = `(no log: ${error instanceof Error ? error.message : String(error)})`;
    }
    return `--- ${name}.log (last ${String(lines)} lines)\n${text.split('\n').slice(-lines).join('\n')}`;
  }).join('\n');
}
