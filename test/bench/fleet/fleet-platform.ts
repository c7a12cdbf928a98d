import { randomUUID } from 'node:crypto';
import { AppProcess } from '../../support/app-process.js';
import { freePort } from '../../support/ports.js';
import { ScratchBroker, ScratchPostgres, ScratchRedis } from '../../support/scratch-servers.js';
import { CLOCK_TICKS_PER_SECOND, processCpuSeconds, readAllProcStats, readProcStat, treeCpuSeconds } from './proc-stat.js';

export const PROCESS_NAMES = ['ingestion', 'worker', 'api', 'postgres', 'redis', 'broker'] as const;
export type ProcessName = (typeof PROCESS_NAMES)[number];
export type CpuSeconds = Record<ProcessName, number>;

export interface PlatformOptions {
  cadenceMs: number;
  logLevel: string;
  startTimeoutMs: number;
  /** Server settings for the bench's Postgres (ScratchPostgres.start). */
  postgresSettings?: Readonly<Record<string, string>>;
}

/**
 * The whole platform on this machine, each piece its own process as production runs them: Postgres, Redis and
 * Mosquitto of the bench's own (so their CPU is the bench's alone, and nothing shared is touched), and the
 * ingestion, worker and API apps built in dist/, with the scoring cadence set.
 */
export class FleetPlatform {
  private constructor(
    readonly postgres: ScratchPostgres,
    readonly redis: ScratchRedis,
    readonly broker: ScratchBroker,
    private readonly apps: Record<'ingestion' | 'worker' | 'api', AppProcess>,
    readonly postmasterPid: number,
  ) {}

  /**
   * Servers first (migrated), then `seed` runs before the apps start, so the apps find the fleet registered. The
   * apps start one after the other, each allowed `startTimeoutMs` (a Nest app takes a minute to boot on a machine
   * loaded 10x over its cores); whatever started is stopped again if anything fails.
   */
  static async start(options: PlatformOptions, seed: (databaseUrl: string) => Promise<void>): Promise<FleetPlatform> {
    const started: { stop(): Promise<unknown> }[] = [];
    try {
      const postgres = await ScratchPostgres.start(options.postgresSettings);
      started.push({ stop: () => postgres.destroy() });
      const redis = await ScratchRedis.start();
      started.push({ stop: () => redis.destroy() });
      const broker = await ScratchBroker.start({ autosaveSeconds: 30 });
      started.push({ stop: () => broker.destroy() });
      await seed(postgres.url);
      const tag = randomUUID().slice(0, 8);
      const env = {
        DATABASE_URL: postgres.url,
        REDIS_URL: `${redis.url}/13`,
        MQTT_URL: broker.url,
        MQTT_SHARE_GROUP: '',
        INGEST_CLIENT_ID: `ingest-bench-fleet-${tag}`,
        QUEUE_PREFIX: 'bench-fleet',
        SCORING_INTERVAL_MS: String(options.cadenceMs),
        JWT_SECRET: randomUUID() + randomUUID(),
        LOG_LEVEL: options.logLevel,
      };
      const apps = {
        ingestion: new AppProcess('ingestion', env),
        worker: new AppProcess('worker', env),
        api: new AppProcess('api', { ...env, PORT: String(await freePort()) }),
      };
      for (const app of Object.values(apps)) {
        // Stopped first (before the servers) if a later start fails.
        started.unshift({ stop: () => app.stop('SIGKILL') });
        await app.start(options.startTimeoutMs);
      }
      return new FleetPlatform(postgres, redis, broker, apps, await postgres.postmasterPid());
    } catch (error) {
      for (const piece of started) await piece.stop().catch(() => undefined);
      throw error;
    }
  }

  get mqttUrl(): string {
    return this.broker.url;
  }

  /** CPU seconds each process has used so far (Postgres: the postmaster, its backends and background processes). */
  async cpuSeconds(): Promise<CpuSeconds> {
    const stats = await readAllProcStats();
    const own = (pid: number | undefined): number => (pid === undefined ? Number.NaN : processCpuSeconds(pid, stats));
    return {
      ingestion: own(this.apps.ingestion.pid),
      worker: own(this.apps.worker.pid),
      api: own(this.apps.api.pid),
      postgres: treeCpuSeconds(this.postmasterPid, stats),
      redis: own(this.redis.pid),
      broker: own(this.broker.pid),
    };
  }

  /** The apps that are no longer the processes started (an exit would make the figures meaningless). */
  exitedApps(): string[] {
    return Object.entries(this.apps)
      .filter(([, app]) => !app.running)
      .map(([name, app]) => `${name}:\n${app.log.slice(-2000)}`);
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.apps).map((app) => app.stop('SIGTERM', 20_000)));
    await Promise.all([this.postgres.destroy(), this.redis.destroy(), this.broker.destroy()]);
  }
}

/** CPU seconds of this process's children that have exited and been reaped (how the simulator's use is read). */
export async function reapedChildrenCpuSeconds(): Promise<number> {
  const self = await readProcStat(process.pid);
  return self === undefined ? Number.NaN : (self.cutime + self.cstime) / CLOCK_TICKS_PER_SECOND;
}
