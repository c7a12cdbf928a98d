import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import mqtt, { type MqttClient } from 'mqtt';
import { NATS_PLATFORM_USER } from '#app/broker-auth';
import { projectRoot } from '../support/test-env.js';

const run = promisify(execFile);
const SCRIPT = join(projectRoot, 'scripts/nats-cluster.sh');

/**
 * Private ports for the test clusters (12 from each base: client, route, MQTT and monitor ports of 3 nodes), one
 * cluster per test file, as the Redis Cluster tests do: one file's kills and freezes never reach another's.
 */
export const INGESTION_CLUSTER_BASE_PORT = 7301;
export const ACK_TIMING_CLUSTER_BASE_PORT = 7321;
const dirOf = (basePort: number): string => `/tmp/carhealth-nats-cluster-${String(basePort)}`;

/**
 * The local 3-node NATS cluster of scripts/nats-cluster.sh (JetStream, routes, an MQTT listener per node), started
 * for a test file (or found running: the script is idempotent) and left running, as the shared servers are.
 * Signals go to the pid each node wrote into its own pid file under the cluster's folder, nothing else.
 */
export class LocalNatsCluster {
  readonly dir: string;
  private readonly frozen = new Set<number>();

  private constructor(
    private readonly basePort: number,
    readonly platformPassword: string,
  ) {
    this.dir = dirOf(basePort);
  }

  static async start(basePort: number): Promise<LocalNatsCluster> {
    await run('bash', [SCRIPT, 'start', String(basePort), dirOf(basePort)], { timeout: 120_000 });
    const password = (await readFile(join(dirOf(basePort), 'internal-password'), 'utf8')).trim();
    return new LocalNatsCluster(basePort, password);
  }

  /** Starts the nodes that are down (a killed one comes back from its store and rejoins) and waits until ready. */
  async heal(): Promise<void> {
    for (const node of this.frozen) await this.signal(node, 'SIGCONT');
    await run('bash', [SCRIPT, 'start', String(this.basePort), this.dir], { timeout: 120_000 });
  }

  /** Has every node re-read `<dir>/auth.conf` (after syncNatsAuthorization rewrote it). */
  async reload(): Promise<void> {
    await run('bash', [SCRIPT, 'reload', String(this.basePort), this.dir]);
    // SIGHUP is handled asynchronously: give the nodes a moment to apply the new users.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  readonly nodes = [0, 1, 2] as const;
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

  /** SIGKILL (a crash), SIGSTOP / SIGCONT (a frozen, then resumed node) to one node's nats-server. */
  async signal(node: number, signal: NodeJS.Signals): Promise<void> {
    const pid = Number((await readFile(join(this.dir, this.nameOf(node), 'nats.pid'), 'utf8')).trim());
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`node ${String(node)} has no pid file`);
    process.kill(pid, signal);
    if (signal === 'SIGSTOP') this.frozen.add(node);
    else this.frozen.delete(node);
  }

  /** The number of routes a node has to the others (2: it is part of the whole cluster). */
  async routes(node: number): Promise<number> {
    const response = await fetch(`${this.monitorUrl(node)}/routez`);
    const body = (await response.json()) as { num_routes: number };
    return body.num_routes;
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
    return { connection, manager: await jetstreamManager(connection) };
  }

  /** The node leading a stream's replicas (where its writes are decided). */
  async streamLeader(manager: JetStreamManager, stream: string): Promise<number> {
    const info = await manager.streams.info(stream);
    const leader = info.cluster?.leader;
    if (leader === undefined) throw new Error(`stream ${stream} has no leader`);
    return this.nodeNamed(leader);
  }

  /** An MQTT 3.1.1 client on one node (NATS's listener speaks 3.1.1 only). */
  connectMqtt(node: number, login: { username: string; password: string; clientId: string }, options: mqtt.IClientOptions = {}): Promise<MqttClient> {
    return mqtt.connectAsync(`mqtt://127.0.0.1:${String(this.mqttPort(node))}`, {
      ...login,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      ...options,
    });
  }

  /**
   * A device's client: first `node`, and on a lost connection the next node, and so on (mqtt.js rotates through
   * `servers`), sending again what was not acknowledged yet, as a device with a list of broker addresses does.
   */
  connectDevice(node: number, login: { username: string; password: string; clientId: string }): Promise<MqttClient> {
    const order = [0, 1, 2].map((offset) => (node + offset) % 3);
    return mqtt.connectAsync({
      servers: order.map((index) => ({ host: '127.0.0.1', port: this.mqttPort(index) })),
      ...login,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 250,
      connectTimeout: 5_000,
    });
  }
}
