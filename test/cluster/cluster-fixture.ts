import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { testEnv } from '../support/test-env.js';
import { load } from './device-burst.js';
import { NpmCluster } from './npm-cluster.js';

/** `npm run cluster` and a small Prisma client on the test database, for the tests of one file. */
export class ClusterFixture {
  private started: { cluster: NpmCluster; prisma: PrismaClient } | undefined;
  private stopped = false;

  get cluster(): NpmCluster {
    return this.running().cluster;
  }

  get prisma(): PrismaClient {
    return this.running().prisma;
  }

  /** Ends the cluster inside a test, where ending it cleanly is part of what is tested; afterAll then only cleans up. */
  async stop(): Promise<void> {
    await this.cluster.npm('cluster:stop');
    this.stopped = true;
  }

  async start(label: string, appEnv: Readonly<Record<string, string>> = {}): Promise<void> {
    const cluster = await NpmCluster.prepare(appEnv);
    this.started = { cluster, prisma: createPrismaClient(testEnv.databaseUrl, 2) };
    const startedAt = Date.now();
    await cluster.npm('cluster');
    console.log(`[${label}] npm run cluster returned after ${String(Date.now() - startedAt)} ms (load ${load()})`);
  }

  async end(): Promise<void> {
    if (this.started === undefined) return;
    const { cluster, prisma } = this.started;
    if (!this.stopped) await cluster.npm('cluster:stop').catch((error: unknown) => console.log(`cluster:stop: ${String(error)}`));
    await prisma.$disconnect();
    keepLogs(cluster.dir);
    rmSync(cluster.dir, { recursive: true, force: true });
  }

  private running(): { cluster: NpmCluster; prisma: PrismaClient } {
    if (this.started === undefined) throw new Error('the cluster is used before beforeAll started it');
    return this.started;
  }
}

/**
 * With `CLUSTER_TEST_LOG_DIR` set (repeated runs hunting a failure, CI artifacts), copies the apps' logs and every
 * node's log of a cluster folder there before the folder is removed.
 */
function keepLogs(dir: string): void {
  const keep = process.env.CLUSTER_TEST_LOG_DIR;
  if (keep === undefined || keep === '') return;
  const into = join(keep, basename(dir));
  if (existsSync(join(dir, 'logs'))) cpSync(join(dir, 'logs'), join(into, 'logs'), { recursive: true });
  for (const tier of ['nats', 'redis']) {
    if (!existsSync(join(dir, tier))) continue;
    for (const node of readdirSync(join(dir, tier), { withFileTypes: true })) {
      const log = join(dir, tier, node.name, `${tier}.log`);
      if (node.isDirectory() && existsSync(log)) cpSync(log, join(into, `${tier}-${node.name}.log`));
    }
  }
}

/**
 * The set-up the cluster fault tests share: `npm run cluster` on ports and in a folder of its own before the file's
 * tests (up to 7 minutes on a loaded machine; `appEnv` on top of its apps' settings), stopped unless a test stopped it,
 * and its folder removed, after them.
 */
export function clusterForFile(label: string, appEnv: Readonly<Record<string, string>> = {}): ClusterFixture {
  const fixture = new ClusterFixture();
  beforeAll(() => fixture.start(label, appEnv), 420_000);
  afterAll(() => fixture.end(), 120_000);
  return fixture;
}
