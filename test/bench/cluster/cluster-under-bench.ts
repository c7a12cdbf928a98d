import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { MQTT_MESSAGES_STREAM } from '../../../apps/ingestion/src/nats/nats-ingestion.service.js';
import { NpmCluster } from '../../cluster/npm-cluster.js';
import { projectRoot } from '../../support/project-root.js';
import type { ScratchPostgres } from '../../support/scratch-servers.js';
import type { ProcessGroup } from './side-by-side.js';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const REPLICAS = 3;
const replicaApp = (i: number): string => `ingestion-${String(i)}`;
/** The client id pm2.cluster.config.cjs gives replica i (its name in /health/ready). */
const replicaId = (i: number): string => `ingest-cluster-${String(i)}`;

/**
 * `npm run cluster` on free ports and in a folder of its own, on the bench's own Postgres, with no demo fleet; its
 * workers stopped once it is up (the scoring jobs ingestion queues wait: a worker scoring the bench's cars would take
 * CPU from what is measured). The bench then switches ingestion between 1 and 3 replicas with pm2.
 */
export class ClusterUnderBench {
  private stopped = false;

  private constructor(readonly cluster: NpmCluster) {}

  /** Ports and a folder of its own; nothing started yet (the caller registers stop() first, then calls start()). */
  static async prepare(postgres: ScratchPostgres, database: string): Promise<ClusterUnderBench> {
    const databaseUrl = Object.assign(new URL(postgres.url), { pathname: `/${database}` }).toString();
    const cluster = await NpmCluster.prepare({
      DATABASE_URL: databaseUrl,
      CARHEALTH_PG_PORT: String(postgres.port),
      CARHEALTH_CLUSTER_DB: database,
      CLUSTER_DEMO_FLEET: 'false',
    });
    return new ClusterUnderBench(cluster);
  }

  async start(): Promise<void> {
    await this.cluster.npm('cluster');
    await this.pm2('stop', 'worker-1', 'worker-2');
  }

  mqttPorts(): number[] {
    return [0, 1, 2].map((node) => this.cluster.mqttPort(node));
  }

  /** pm2 with this cluster's daemon (its PM2_HOME), the project's pm2. */
  async pm2(...args: string[]): Promise<string> {
    const { stdout } = await run(process.execPath, [join(projectRoot, 'node_modules/pm2/bin/pm2'), ...args], {
      cwd: projectRoot,
      env: { ...process.env, PM2_HOME: join(this.cluster.dir, 'pm2') },
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }

  /** The pid of every app pm2 has online, by name. */
  async onlineApps(): Promise<Map<string, number>> {
    const raw = await this.pm2('jlist');
    const list = JSON.parse(raw.slice(raw.indexOf('['))) as { name: string; pid: number; pm2_env: { status: string } }[];
    return new Map(list.filter((app) => app.pm2_env.status === 'online' && app.pid > 0).map((app) => [app.name, app.pid]));
  }

  /**
   * Replicas 1..n online, the others stopped (SIGTERM: each commits and acknowledges what it holds). Started one after
   * the other, each once an API lists it `ok` (as `npm run cluster` starts them: README "Broker cluster", left open (2)).
   */
  async useReplicas(n: number): Promise<void> {
    const online = await this.onlineApps();
    const surplus = Array.from({ length: REPLICAS - n }, (_, k) => replicaApp(n + 1 + k)).filter((app) => online.has(app));
    if (surplus.length > 0) await this.pm2('stop', ...surplus);
    for (let i = 1; i <= n; i += 1) {
      if (online.has(replicaApp(i))) continue;
      await this.pm2('start', replicaApp(i));
      await this.waitReady(Array.from({ length: i }, (_, k) => replicaId(k + 1)));
    }
  }

  /**
   * Replicas 1..n started at the same moment (the others stopped), without waiting for them: a backlog phase measures
   * them from their first stored row.
   */
  async startReplicasTogether(n: number): Promise<void> {
    await this.useReplicas(0);
    await this.pm2('restart', ...Array.from({ length: n }, (_, k) => replicaApp(k + 1)));
  }

  /** Until the first API answers ready with every broker and Redis node up and these replicas `ok` (120 s). */
  async waitReady(replicas: readonly string[]): Promise<void> {
    const mqttNodes = this.mqttPorts()
      .map((port) => `127.0.0.1:${String(port)}`)
      .join(',');
    const redisNodes = this.cluster
      .redisPorts()
      .map((port) => `127.0.0.1:${String(port)}`)
      .join(',');
    const deadline = Date.now() + 120_000;
    let answer = '';
    while (Date.now() < deadline) {
      try {
        await run(process.execPath, [
          join(projectRoot, 'scripts/cluster-ready.cjs'),
          String(this.cluster.apiPorts[0]),
          mqttNodes,
          redisNodes,
          replicas.join(','),
        ]);
        return;
      } catch (error) {
        answer = (error as { stdout?: string }).stdout?.trim() ?? String(error);
      }
      await sleep(500);
    }
    throw new Error(`the cluster is not ready with ${replicas.join(',')} after 120 s: ${answer}`);
  }

  /**
   * Until the durable consumer the replicas share has nothing waiting and nothing unacknowledged (`timeoutMs`), so a
   * phase starts with no backlog of the one before.
   */
  async waitConsumerIdle(timeoutMs: number): Promise<void> {
    const connection = await connect({ servers: this.cluster.natsServers().split(','), user: 'carhealth', pass: this.cluster.platformPassword() });
    try {
      const manager = await jetstreamManager(connection);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const info = await manager.consumers.info(MQTT_MESSAGES_STREAM, 'ingest');
        if (info.num_pending === 0 && info.num_ack_pending === 0) return;
        if (Date.now() > deadline)
          throw new Error(
            `consumer not idle after ${String(timeoutMs)} ms: ${String(info.num_pending)} pending, ${String(info.num_ack_pending)} unacknowledged`,
          );
        await sleep(500);
      }
    } finally {
      await connection.close();
    }
  }

  /** The processes whose CPU is counted on a cluster side (the bench's own process and Postgres are added by the caller). */
  async processGroups(): Promise<ProcessGroup[]> {
    const apps = await this.onlineApps();
    const pidIn = (file: string): number => Number(readFileSync(file, 'utf8').trim());
    const replicas = Array.from({ length: REPLICAS }, (_, k) => apps.get(replicaApp(k + 1))).filter((pid): pid is number => pid !== undefined);
    return [
      { name: 'ingestion (replicas summed)', pids: replicas },
      ...[0, 1, 2].map((node) => ({ name: `NATS node ${String(node + 1)}`, pids: [pidIn(this.cluster.natsPidFile(node))] })),
      {
        // The rest of the cluster that runs during a phase: the 2 APIs (idle), the 6 Redis nodes (ingestion's scoring
        // jobs and status reports), pm2's daemon.
        name: 'Redis nodes, APIs, pm2',
        pids: [
          ...[...apps].filter(([name]) => name.startsWith('api-')).map(([, pid]) => pid),
          ...this.cluster.redisPorts().map((port) => pidIn(join(this.cluster.dir, 'redis', String(port), 'redis.pid'))),
          pidIn(join(this.cluster.dir, 'pm2', 'pm2.pid')),
        ],
      },
    ];
  }

  /** Per replica online, its pid (a replica that used no CPU in a 3-replica phase was not pulling). */
  async replicaPids(): Promise<Map<string, number>> {
    const apps = await this.onlineApps();
    return new Map([...apps].filter(([name]) => name.startsWith('ingestion-')));
  }

  /** `npm run cluster:stop`, then its folder removed; once. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.cluster.npm('cluster:stop').catch((error: unknown) => console.error(`cluster:stop: ${String(error)}`));
    rmSync(this.cluster.dir, { recursive: true, force: true });
  }
}
