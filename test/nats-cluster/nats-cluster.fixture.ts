import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import mqtt, { type MqttClient } from 'mqtt';
import { NATS_PLATFORM_USER } from '#app/broker-auth';
import { freePortBlock } from '../support/ports.js';
import { projectRoot, testEnv } from '../support/test-env.js';

const run = promisify(execFile);
const SCRIPT = join(projectRoot, 'scripts/nats-cluster.sh');
/** Every test cluster lives in a fresh folder under here, with the pid of the test process that owns it. */
const CLUSTERS_ROOT = join(tmpdir(), 'carhealth-nats-test');
/** Where the clusters of earlier versions of this fixture lived, on fixed ports, left running after the tests. */
const LEGACY_DIRS = ['/tmp/carhealth-nats-cluster-7301', '/tmp/carhealth-nats-cluster-7321'];
/**
 * The MQTT listener's own streams, made on an account's first connection (nats-server 2.10.27 and 2.15, server/mqtt.go):
 * sessions, QoS 1 messages, retained messages, and since 2.10 QoS 2's incoming messages and outgoing PUBRELs.
 */
export const MQTT_STREAMS = ['$MQTT_sess', '$MQTT_msgs', '$MQTT_rmsgs', '$MQTT_qos2in', '$MQTT_out'] as const;
/** The script's port layout: client base+i, route base+3+i, MQTT base+6+i, HTTP monitor base+9+i (i = 0..2). */
const PORTS_PER_CLUSTER = 12;
/** Ready within this, or the start fails saying what is still missing (a loaded 2-core machine took ~15 s). */
const READY_TIMEOUT_MS = 90_000;
/**
 * The script's own limit for a start (its default is 60 s): below READY_TIMEOUT_MS, after which the script is killed,
 * and room for the restart of a node the meta group left out (a start with one took 54 s at load 20).
 */
const SCRIPT_ENV = { ...process.env, NATS_START_TIMEOUT_S: '80' };
/** Longer than nats.js's 5-s default: on a loaded machine a JetStream API call right after an election can take that. */
export const JS_API_TIMEOUT_MS = 20_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The command line of a process, or '' once it is gone: a pid is signalled only while it still runs our server. */
async function commandLine(pid: number): Promise<string> {
  return readFile(`/proc/${String(pid)}/cmdline`, 'utf8').then(
    (text) => text.replaceAll('\0', ' '),
    () => '',
  );
}

/**
 * The scheduler state of every thread of a process (/proc/<pid>/task/<tid>/stat: `R`, `S`, `D`, `T` stopped, `Z`...),
 * [] once the process is gone. A thread that exits between the listing and the read is left out.
 */
async function threadStates(pid: number): Promise<string[]> {
  const tasks = await readdir(`/proc/${String(pid)}/task`).catch(() => []);
  const states = await Promise.all(
    tasks.map((tid) =>
      readFile(`/proc/${String(pid)}/task/${tid}/stat`, 'utf8').then(
        // `pid (comm) state ...`: comm may hold spaces and parentheses, so the state follows the LAST ')'.
        (stat) => stat.charAt(stat.lastIndexOf(')') + 2),
        () => '',
      ),
    ),
  );
  return states.filter((state) => state !== '');
}

/** How long a signalled node may take to show the signal's effect in /proc before the test fails. */
const SIGNAL_EFFECT_TIMEOUT_MS = 10_000;

/**
 * Waits until a signal has taken effect on every thread of the process. kill(2) only queues the signal: a node sent
 * SIGSTOP keeps running until each of its threads is scheduled and stops (a thread in the middle of a write or an
 * fsync stops only when it returns), and in that window it can still answer a replication request (one CI rehearsal
 * got a PUBACK 1 ms after the second follower's SIGSTOP). So a node counts as frozen only once every thread shows
 * `T`, as resumed once none does, as killed once it is gone (or a zombie: its threads no longer run).
 */
async function waitForSignalEffect(pid: number, signal: NodeJS.Signals): Promise<number> {
  const sentAt = Date.now();
  const done: (states: string[]) => boolean =
    signal === 'SIGSTOP'
      ? (states) => states.length > 0 && states.every((state) => state === 'T')
      : signal === 'SIGCONT'
        ? (states) => !states.includes('T')
        : (states) => states.every((state) => state === 'Z' || state === 'X');
  const deadline = Date.now() + SIGNAL_EFFECT_TIMEOUT_MS;
  for (;;) {
    const states = await threadStates(pid);
    if (done(states)) return Date.now() - sentAt;
    if (Date.now() > deadline) {
      throw new Error(`${signal} to pid ${String(pid)} not in effect after ${String(SIGNAL_EFFECT_TIMEOUT_MS)} ms: thread states ${states.join('')}`);
    }
    await sleep(2);
  }
}

async function readPid(file: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

/**
 * SIGKILLs the nats-servers a cluster folder's pid files name (each is its own process group: the script starts it
 * with setsid), then waits until they are gone. Only a process whose command line is a nats-server of this folder.
 */
async function killNodes(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const pids: number[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const pid = await readPid(join(dir, entry.name, 'nats.pid'));
    if (pid === undefined) continue;
    const command = await commandLine(pid);
    if (!command.includes('nats-server') || !command.includes(join(dir, entry.name))) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL');
    }
    pids.push(pid);
  }
  const deadline = Date.now() + 10_000;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
}

/**
 * Runs the script's `start` (the nodes that are down), and prints what it did beyond starting them: a node it had to
 * restart because the meta group left it out (see scripts/nats-cluster.sh) is part of a run's record.
 */
async function startNodes(basePort: number, dir: string): Promise<void> {
  const { stderr } = await run('bash', [SCRIPT, 'start', String(basePort), dir], { timeout: READY_TIMEOUT_MS, env: SCRIPT_ENV });
  for (const line of stderr.split('\n').filter((text) => text.includes('restarting it'))) console.log(line);
}

/**
 * With `NATS_TEST_LOG_DIR` set (repeated runs hunting a flaky failure, CI artifacts), copies the nodes' logs of a
 * cluster folder there before the folder is removed.
 */
async function keepLogs(dir: string): Promise<void> {
  const keep = process.env.NATS_TEST_LOG_DIR;
  if (keep === undefined || keep === '') return;
  const into = join(keep, basename(dir));
  await mkdir(into, { recursive: true });
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory()) await copyFile(join(dir, entry.name, 'nats.log'), join(into, `${entry.name}.log`)).catch(() => undefined);
  }
}

/**
 * Clusters an earlier run left behind (its jest process crashed or was killed before afterAll): their owner is gone,
 * so their nodes are killed and their folders removed. A cluster whose owner still runs (another test run on this
 * machine) is left alone.
 */
async function removeLeftovers(): Promise<void> {
  await mkdir(CLUSTERS_ROOT, { recursive: true });
  for (const name of await readdir(CLUSTERS_ROOT)) {
    const dir = join(CLUSTERS_ROOT, name);
    const owner = await readPid(join(dir, 'owner.pid'));
    if (owner !== undefined && owner !== process.pid && alive(owner)) continue;
    await killNodes(dir);
    await rm(dir, { recursive: true, force: true });
  }
  for (const dir of LEGACY_DIRS) {
    await killNodes(dir);
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * An MQTT 3.1.1 connection bounded in time: a connection to a node that refused the CONNECT while its MQTT streams
 * were being created was seen still pending 10 minutes later, which held a test until jest's timeout.
 */
function connectWithin(options: mqtt.IClientOptions, timeoutMs: number, where: string): Promise<MqttClient> {
  const client = mqtt.connect({ protocolVersion: 4, clean: true, connectTimeout: 5_000, ...options });
  return new Promise((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer);
      client.removeListener('connect', connected);
      client.removeListener('error', failed);
      client.removeListener('close', closed);
    };
    // Only until the first CONNACK: afterwards errors and closes are the test's (a device reconnects to another node).
    const fail = (reason: string): void => {
      settle();
      client.end(true);
      reject(new Error(`MQTT connection to ${where}: ${reason}`));
    };
    const connected = (): void => {
      settle();
      resolve(client);
    };
    const failed = (error: Error): void => fail(error.message);
    // Without reconnection a closed socket is the end of this attempt; with it, mqtt.js tries the next server.
    const closed = (): void => {
      if (options.reconnectPeriod === 0) fail('closed before CONNACK');
    };
    const timer = setTimeout(() => fail(`no CONNACK within ${String(timeoutMs)} ms`), timeoutMs);
    client.on('connect', connected);
    client.on('error', failed);
    client.on('close', closed);
  });
}

interface RouteInfo {
  routes?: { remote_id: string }[];
}
interface JetStreamInfo {
  meta_cluster?: { leader?: string; replicas?: { name: string; current: boolean; active?: number; lag?: number }[] };
}
interface ServerInfo {
  config_load_time: string;
}

/**
 * A local 3-node NATS cluster of scripts/nats-cluster.sh (JetStream, routes, an MQTT listener per node) for one test
 * file: a fresh folder (no stream, consumer or login of an earlier run), ports free at the start, ready only once
 * every node is routed to the two others, JetStream has a meta leader and the MQTT listener's streams exist with
 * all their replicas current; `destroy` kills every node and removes the folder (call it in afterAll).
 * Signals go to the pid each node wrote into its own pid file under the cluster's folder, nothing else.
 */
export class LocalNatsCluster {
  /** Every cluster this process started and has not destroyed yet (afterAll ends them all, even after a failed start). */
  private static readonly running = new Set<LocalNatsCluster>();
  private readonly frozen = new Set<number>();
  readonly nodes = [0, 1, 2] as const;

  private constructor(
    private readonly basePort: number,
    readonly dir: string,
    readonly platformPassword: string,
  ) {}

  /** Starts a cluster (kills leftovers of crashed runs first); `label` names its folder. Retries once on taken ports. */
  static async start(label: string): Promise<LocalNatsCluster> {
    await removeLeftovers();
    for (let attempt = 1; ; attempt += 1) {
      const basePort = await freePortBlock(PORTS_PER_CLUSTER);
      const dir = await mkdtemp(join(CLUSTERS_ROOT, `${label}-`));
      await writeFile(join(dir, 'owner.pid'), String(process.pid));
      const startedAt = Date.now();
      try {
        await startNodes(basePort, dir);
        const password = (await readFile(join(dir, 'internal-password'), 'utf8')).trim();
        const cluster = new LocalNatsCluster(basePort, dir, password);
        LocalNatsCluster.running.add(cluster);
        await cluster.waitReady();
        console.log(
          `[nats cluster] ${label}: 3 nodes on ports ${String(basePort)}-${String(basePort + 11)} ready in ${String(Date.now() - startedAt)} ms`,
        );
        return cluster;
      } catch (error) {
        const logs = await Promise.all(
          [0, 1, 2].map((node) => readFile(join(dir, `n${String(basePort + node)}`, 'nats.log'), 'utf8').catch(() => '')),
        );
        await killNodes(dir);
        await keepLogs(dir);
        await rm(dir, { recursive: true, force: true });
        for (const cluster of LocalNatsCluster.running) if (cluster.dir === dir) LocalNatsCluster.running.delete(cluster);
        // Another process took one of the ports between the check and the start: start again elsewhere.
        if (attempt < 3 && logs.some((log) => log.includes('address already in use'))) continue;
        // The folder is gone: what the nodes said goes with the error.
        const tails = logs.map((log, node) => `n${String(basePort + node)}: ${log.trimEnd().split('\n').slice(-6).join('\n    ')}`);
        throw new Error(`${messageOf(error)}\n  last lines of the nodes' logs:\n  ${tails.join('\n  ')}`, { cause: error });
      }
    }
  }

  /**
   * Kills every node (also frozen ones) and removes the folder. Safe to call twice. With `NATS_TEST_LOG_DIR` set
   * (repeated runs hunting a flaky failure, CI artifacts), the nodes' logs are copied there first.
   */
  async destroy(): Promise<void> {
    LocalNatsCluster.running.delete(this);
    await killNodes(this.dir);
    await keepLogs(this.dir);
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Destroys every cluster this process started: for afterAll, which runs even when beforeAll failed half-way. */
  static async destroyAll(): Promise<void> {
    for (const cluster of [...LocalNatsCluster.running]) await cluster.destroy();
  }

  /**
   * Waits until the cluster can take a device's QoS 1 publish on any node: every node routed to both others, one
   * JetStream meta leader that all nodes agree on with its followers current, the MQTT listener ready on every node
   * (a node sets up its side of the account's MQTT streams on its own first connection, and refuses connections
   * while the streams are created), and each MQTT stream with a leader and 2 current replicas.
   */
  async waitReady(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const { connection, manager } = await this.platformConnection();
    try {
      for (;;) {
        const missing = await this.notReady(manager).catch((error: unknown) => `a check failed: ${messageOf(error)}`);
        if (missing === '') return;
        if (Date.now() > deadline) throw new Error(`NATS cluster in ${this.dir} not ready after ${String(timeoutMs)} ms: ${missing}`);
        await sleep(250);
      }
    } finally {
      await connection.close();
    }
  }

  /** What is not ready yet ('' once everything is). */
  private async notReady(manager: JetStreamManager): Promise<string> {
    for (const node of this.nodes) {
      const peers = await this.routes(node);
      if (peers !== 2) return `${this.nameOf(node)} is routed to ${String(peers)} of 2 other nodes`;
    }
    const metas = await Promise.all(this.nodes.map((node) => this.monitor<JetStreamInfo>(node, 'jsz')));
    const leader = metas[0].meta_cluster?.leader ?? '';
    if (leader === '') return 'no JetStream meta leader';
    if (metas.some((meta) => meta.meta_cluster?.leader !== leader)) return `nodes disagree on the meta leader (${leader})`;
    const followers = metas[this.nodeNamed(leader)].meta_cluster?.replicas ?? [];
    if (followers.length !== 2 || followers.some((follower) => !follower.current)) {
      // Which one, and how far behind (active: ns since the leader last heard from it), for a start that never gets ready.
      const states = followers.map((f) => `${f.name} current=${String(f.current)} active=${String(f.active ?? '?')} lag=${String(f.lag ?? '?')}`);
      return `meta followers of ${leader} not current: ${states.join(', ')}`;
    }
    for (const node of this.nodes) {
      const client = await this.connectMqtt(node, {
        username: NATS_PLATFORM_USER,
        password: this.platformPassword,
        clientId: `ready-${String(node)}`,
      }).catch((error: unknown) => messageOf(error));
      if (typeof client === 'string') return `MQTT listener of ${this.nameOf(node)} not ready (${client})`;
      await client.endAsync(true);
    }
    for (const stream of MQTT_STREAMS) {
      const cluster = (await manager.streams.info(stream)).cluster;
      const replicas = cluster?.replicas ?? [];
      if (cluster?.leader === undefined) return `stream ${stream} has no leader`;
      if (replicas.length !== 2 || replicas.some((replica) => !replica.current)) {
        return `stream ${stream}: replicas ${replicas.map((replica) => `${replica.name} current=${String(replica.current)}`).join(', ')}`;
      }
    }
    return '';
  }

  private async monitor<T>(node: number, endpoint: string): Promise<T> {
    const response = await fetch(`${this.monitorUrl(node)}/${endpoint}`, { signal: AbortSignal.timeout(2_000) });
    return (await response.json()) as T;
  }

  /** Starts the nodes that are down (a killed one comes back from its own store and rejoins), then waits until ready. */
  async heal(): Promise<void> {
    for (const node of this.frozen) await this.signal(node, 'SIGCONT');
    await startNodes(this.basePort, this.dir);
    await this.waitReady();
  }

  /** Has every node re-read `<dir>/auth.conf` (after syncNatsAuthorization rewrote it), and waits until each did. */
  async reload(): Promise<void> {
    const loadedAt = async (node: number): Promise<string> => (await this.monitor<ServerInfo>(node, 'varz')).config_load_time;
    const before = await Promise.all(this.nodes.map(loadedAt));
    await run('bash', [SCRIPT, 'reload', String(this.basePort), this.dir]);
    const deadline = Date.now() + 30_000;
    for (const node of this.nodes) {
      while ((await loadedAt(node)) === before[node]) {
        if (Date.now() > deadline) throw new Error(`${this.nameOf(node)} did not reload its configuration within 30 s`);
        await sleep(50);
      }
    }
  }

  nameOf(node: number): string {
    return `n${String(this.basePort + node)}`;
  }
  nodeNamed(name: string): number {
    const node = this.nodes.find((index) => this.nameOf(index) === name);
    if (node === undefined) throw new Error(`no node is named ${name}`);
    return node;
  }
  natsUrl(node: number): string {
    return `nats://127.0.0.1:${String(this.basePort + node)}`;
  }
  mqttPort(node: number): number {
    return this.basePort + 6 + node;
  }
  monitorUrl(node: number): string {
    return `http://127.0.0.1:${String(this.basePort + 9 + node)}`;
  }
  get natsServers(): string {
    return this.nodes.map((node) => this.natsUrl(node)).join(',');
  }

  /** An ingestion replica's settings for this cluster: the test run's database and Redis, NATS source, one durable consumer. */
  ingestionEnv(consumer: string, clientId: string): Record<string, string> {
    return {
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: testEnv.redisUrl,
      QUEUE_PREFIX: testEnv.queuePrefix,
      INGESTION_SOURCE: 'nats',
      NATS_SERVERS: this.natsServers,
      NATS_USER: NATS_PLATFORM_USER,
      NATS_PASSWORD: this.platformPassword,
      NATS_CONSUMER: consumer,
      INGEST_CLIENT_ID: clientId,
      INGEST_STATUS_INTERVAL_MS: '500',
    };
  }

  /**
   * SIGKILL (a crash), SIGSTOP / SIGCONT (a frozen, then resumed node) to one node's nats-server; returns once the
   * signal is in effect on every thread of it (/proc), not when it was merely queued, with the milliseconds that took.
   */
  async signal(node: number, signal: 'SIGKILL' | 'SIGSTOP' | 'SIGCONT'): Promise<number> {
    const pid = await readPid(join(this.dir, this.nameOf(node), 'nats.pid'));
    if (pid === undefined) throw new Error(`node ${String(node)} has no pid file`);
    process.kill(pid, signal);
    if (signal === 'SIGSTOP') this.frozen.add(node);
    else this.frozen.delete(node);
    return waitForSignalEffect(pid, signal);
  }

  /**
   * The number of other nodes a node has routes to (2: it is part of the whole cluster). Distinct peers, not
   * `num_routes`: since 2.10 a node keeps a pool of routes per peer (3 by default, plus pinned ones for the system
   * account), so 2.10.27 reports 8 routes for 2 peers.
   */
  async routes(node: number): Promise<number> {
    const { routes = [] } = await this.monitor<RouteInfo>(node, 'routez');
    return new Set(routes.map((route) => route.remote_id)).size;
  }

  /** A NATS connection as the platform's user, for JetStream administration and reads. */
  async platformConnection(): Promise<{ connection: NatsConnection; manager: JetStreamManager }> {
    const connection = await connect({
      servers: this.nodes.map((node) => this.natsUrl(node)),
      user: NATS_PLATFORM_USER,
      pass: this.platformPassword,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
    });
    return { connection, manager: await jetstreamManager(connection, { timeout: JS_API_TIMEOUT_MS }) };
  }

  /** The node leading a stream's replicas (where its writes are decided). */
  async streamLeader(manager: JetStreamManager, stream: string): Promise<number> {
    const info = await manager.streams.info(stream);
    const leader = info.cluster?.leader;
    if (leader === undefined) throw new Error(`stream ${stream} has no leader`);
    return this.nodeNamed(leader);
  }

  /** The nodes holding a current copy of a stream (its leader and the replicas that caught up). */
  async currentReplicas(manager: JetStreamManager, stream: string): Promise<number[]> {
    const cluster = (await manager.streams.info(stream)).cluster;
    const names = [cluster?.leader, ...(cluster?.replicas ?? []).filter((replica) => replica.current).map((replica) => replica.name)];
    return names.filter((name) => name !== undefined).map((name) => this.nodeNamed(name));
  }

  /** An MQTT 3.1.1 client on one node (NATS's listener speaks 3.1.1 only), connected within 10 s or failed. */
  connectMqtt(node: number, login: { username: string; password: string; clientId: string }, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
    return connectWithin(
      { host: '127.0.0.1', port: this.mqttPort(node), ...login, reconnectPeriod: 0, ...options },
      10_000,
      `${this.nameOf(node)} as ${login.username}`,
    );
  }

  /**
   * A device's client: first `node`, and on a lost connection the next node, and so on (mqtt.js rotates through
   * `servers`), sending again what was not acknowledged yet, as a device with a list of broker addresses does.
   */
  connectDevice(node: number, login: { username: string; password: string; clientId: string }): Promise<MqttClient> {
    const order = [0, 1, 2].map((offset) => (node + offset) % 3);
    return connectWithin(
      { servers: order.map((index) => ({ host: '127.0.0.1', port: this.mqttPort(index) })), ...login, reconnectPeriod: 250 },
      30_000,
      `${this.nameOf(node)} (then the others) as ${login.username}`,
    );
  }
}
