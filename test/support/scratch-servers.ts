import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, portAnswers, waitUntil } from './ports.js';
import { projectRoot } from './project-root.js';

const run = promisify(execFile);

/**
 * Private servers for fault tests: a test that stops Postgres, kills Redis or restarts the broker must not do
 * it to the shared ones every other test (and the demo) uses. Each lives in its own folder on a free port.
 */

/** Stops a child process with a signal and waits for it to be gone. */
async function signalAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/**
 * A PostgreSQL cluster of its own (initdb as the postgres user, trust auth on loopback), migrated. `settings` are
 * server settings added to its command line (`-c name=value`), e.g. a preloaded library for a benchmark.
 */
export class ScratchPostgres {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly bin: string,
    private readonly settings: Readonly<Record<string, string>>,
  ) {}

  static async start(settings: Readonly<Record<string, string>> = {}): Promise<ScratchPostgres> {
    const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
    const bin = `/usr/lib/postgresql/${versions[0]}/bin`;
    // Under /var/tmp: the postgres user cannot enter root's private temp folders.
    const dir = await mkdtemp('/var/tmp/scratch-pg-');
    await chmod(dir, 0o755);
    const { stdout } = await run('id', ['-u', 'postgres']);
    await chown(dir, Number(stdout.trim()), -1);
    const server = new ScratchPostgres(dir, await freePort(), bin, settings);
    await server.asPostgres('initdb', ['-D', join(dir, 'data'), '-U', 'carhealth', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
    await server.resume();
    await run('psql', [server.adminUrl, '-qc', 'create database carhealth']);
    await run(process.execPath, [join(projectRoot, 'dist/libs/database/src/cli/migrate-deploy.js')], {
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: server.url },
    });
    return server;
  }

  get url(): string {
    return `postgresql://carhealth@127.0.0.1:${this.port}/carhealth`;
  }

  private get adminUrl(): string {
    return `postgresql://carhealth@127.0.0.1:${this.port}/postgres`;
  }

  /** `pg_ctl stop -m <mode>`: fast ends every session (what an operator's restart does), immediate is a crash. */
  async halt(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.asPostgres('pg_ctl', ['-D', join(this.dir, 'data'), '-m', mode, '-w', 'stop']);
  }

  async resume(): Promise<void> {
    await this.asPostgres('pg_ctl', [
      '-D',
      join(this.dir, 'data'),
      '-l',
      join(this.dir, 'postgres.log'),
      '-w',
      '-t',
      '60',
      '-o',
      [
        `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=on`,
        ...Object.entries(this.settings).map(([name, value]) => `-c ${name}=${value}`),
      ].join(' '),
      'start',
    ]);
    await waitUntil(() => portAnswers(this.port), 10_000, `scratch Postgres on ${this.port}`);
  }

  /** The postmaster's pid (first line of postmaster.pid), whose children are the backends and background processes. */
  async postmasterPid(): Promise<number> {
    return Number((await readFile(join(this.dir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  }

  async destroy(): Promise<void> {
    await this.halt('immediate').catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async asPostgres(tool: string, args: string[]): Promise<void> {
    await run('runuser', ['-u', 'postgres', '--', join(this.bin, tool), ...args]);
  }
}

/** A Redis of its own with the platform's settings (append-only file, noeviction): it can be SIGKILLed and started again. */
export class ScratchRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<ScratchRedis> {
    const redis = new ScratchRedis(await mkdtemp('/var/tmp/scratch-redis-'), await freePort());
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async resume(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--maxmemory-policy',
        'noeviction',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    await waitUntil(() => portAnswers(this.port), 10_000, `scratch Redis on ${this.port}`);
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await signalAndWait(this.child, signal);
  }

  async destroy(): Promise<void> {
    await this.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}

export interface ScratchBrokerOptions {
  /** Seconds between Mosquitto's saves of its in-memory state (sessions, subscriptions, queued messages). */
  autosaveSeconds: number;
  /** An acl_file for the listener (re-read on `reload()`); none: everything allowed. */
  acl?: string;
  /** False: the listener refuses every client (no password file to log in with): a broker that says no. */
  allowAnonymous?: boolean;
}

/**
 * A Mosquitto with the persistence settings of scripts/infra.sh's (sessions and queued QoS 1 messages kept on
 * disk, no queue limit), one anonymous listener, and $SYS every second, that can be stopped and started
 * again with the same state folder and port.
 */
export class ScratchBroker {
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async start(options: ScratchBrokerOptions): Promise<ScratchBroker> {
    const broker = new ScratchBroker(await mkdtemp('/var/tmp/scratch-mosquitto-'), await freePort());
    const config = [
      'user root',
      'persistence true',
      `persistence_location ${broker.dir}/`,
      `autosave_interval ${options.autosaveSeconds}`,
      'max_inflight_messages 0',
      'max_queued_messages 10000000',
      'max_queued_bytes 0',
      'sys_interval 1',
      'log_dest stderr',
      'log_type error',
      `listener ${broker.port} 127.0.0.1`,
      `allow_anonymous ${options.allowAnonymous ?? true}`,
      ...(options.acl === undefined ? [] : [`acl_file ${join(broker.dir, 'acl')}`]),
    ];
    if (options.acl !== undefined) await writeFile(join(broker.dir, 'acl'), options.acl);
    await writeFile(join(broker.dir, 'mosquitto.conf'), `${config.join('\n')}\n`);
    await broker.resume();
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async resume(): Promise<void> {
    this.child = spawn('/usr/sbin/mosquitto', ['-c', join(this.dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitUntil(() => portAnswers(this.port), 10_000, `scratch Mosquitto on ${this.port}`);
  }

  /** Writes a new acl_file and has Mosquitto re-read it (SIGHUP). */
  async reload(acl: string): Promise<void> {
    await writeFile(join(this.dir, 'acl'), acl);
    this.child?.kill('SIGHUP');
  }

  /** SIGTERM: Mosquitto saves its state and exits. SIGKILL: a crash, the state is what the last autosave wrote. */
  async halt(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    await signalAndWait(this.child, signal);
  }

  async destroy(): Promise<void> {
    await this.halt('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}
