import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/project-root.js';
import { testEnv } from '../support/test-env.js';
import { freePortRange } from './cluster-processes.js';

const run = promisify(execFile);

/** `npm run cluster` in a folder and on free ports of its own, seeding the test database. */
export class NpmCluster {
  private constructor(
    readonly dir: string,
    readonly natsBase: number,
    readonly redisBase: number,
    readonly apiPorts: readonly number[],
    readonly smtpPort: number,
    private readonly appEnv: Readonly<Record<string, string>>,
  ) {}

  /**
   * Free ports away from the fixed defaults (4400.., 7600.., 3101..) and below the ephemeral range. `appEnv`: settings
   * the cluster's apps get on top of a person's shell (pm2 passes start's environment on to them), also for the node
   * scripts; they win over the test defaults below (bench:cluster: its own Postgres, DATABASE_URL, CARHEALTH_PG_PORT and
   * CARHEALTH_CLUSTER_DB, and CLUSTER_DEMO_FLEET=false).
   */
  static async prepare(appEnv: Readonly<Record<string, string>> = {}): Promise<NpmCluster> {
    const natsBase = await freePortRange(12, 12_000, 15_000);
    const redisBase = await freePortRange(6, 15_000, 19_000, [], 10_000);
    const apiBase = await freePortRange(3, 19_000, 20_000);
    return new NpmCluster(mkdtempSync(join(tmpdir(), 'carhealth-cluster-')), natsBase, redisBase, [apiBase, apiBase + 1], apiBase + 2, appEnv);
  }

  mqttPort(node: number): number {
    return this.natsBase + 6 + node;
  }

  monitorPort(node: number): number {
    return this.natsBase + 9 + node;
  }

  redisPorts(): number[] {
    return Array.from({ length: 6 }, (_, i) => this.redisBase + i);
  }

  natsServers(): string {
    return [0, 1, 2].map((node) => `nats://127.0.0.1:${String(this.natsBase + node)}`).join(',');
  }

  platformPassword(): string {
    return readFileSync(join(this.dir, 'nats', 'internal-password'), 'utf8').trim();
  }

  natsPidFile(node: number): string {
    return join(this.dir, 'nats', `n${String(this.natsBase + node)}`, 'nats.pid');
  }

  /** What a person's shell has: none of the test run's service URLs, prefix or NODE_ENV (npm run cluster sets its own). */
  env(): NodeJS.ProcessEnv {
    const {
      DATABASE_URL: _db,
      REDIS_URL: _redis,
      MQTT_URL: _mqtt,
      QUEUE_PREFIX: _prefix,
      NODE_ENV: _node,
      NODE_OPTIONS: _options,
      ...rest
    } = process.env;
    return {
      ...rest,
      CARHEALTH_CLUSTER_DIR: this.dir,
      CARHEALTH_CLUSTER_DB: new URL(testEnv.databaseUrl).pathname.slice(1),
      CLUSTER_NATS_BASE_PORT: String(this.natsBase),
      CLUSTER_REDIS_BASE_PORT: String(this.redisBase),
      CLUSTER_API_PORTS: this.apiPorts.join(','),
      CLUSTER_SMTP_PORT: String(this.smtpPort),
      // `npm test` built this tree moments ago (scripts/setup.sh): a second tsc run only adds a minute of load.
      CARHEALTH_SKIP_BUILD: 'true',
      ...this.appEnv,
    };
  }

  npm(script: string): Promise<{ stdout: string; stderr: string }> {
    return run('npm', ['run', '--silent', script], { cwd: projectRoot, env: this.env(), maxBuffer: 16 * 1024 * 1024 });
  }

  /** scripts/nats-cluster.sh on this cluster's nodes (start brings back a killed node; sync renders the logins). */
  natsScript(action: 'start' | 'sync'): Promise<{ stdout: string; stderr: string }> {
    return run('bash', ['scripts/nats-cluster.sh', action, String(this.natsBase), join(this.dir, 'nats')], {
      cwd: projectRoot,
      env: { ...process.env, ...this.appEnv, NODE_OPTIONS: '' },
    });
  }
}
