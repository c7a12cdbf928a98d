import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { renderBrokerCredentials } from '#app/broker-auth';

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

/** What mqtt.js rejects with when the broker refuses a CONNECT or a PUBLISH (the MQTT 5 reason code). */
export interface MqttRefusal {
  code: number;
}

export interface ScratchMosquittoOptions {
  /** The device listener's files to start with; none: no device yet (the API under test renders them). */
  readonly files?: { readonly passwordFile: string; readonly aclFile: string };
  /** Also an anonymous loopback listener, standing in for the shared broker's internal one (our subscribers). */
  readonly internalListener?: boolean;
}

/**
 * A throw-away Mosquitto on free ports with its own config, device files and pid file, for tests that must
 * not touch the shared broker: the shared broker's device files belong to the demo's database, and two test
 * runs on different databases would overwrite each other's. Its device listener has the settings of
 * scripts/infra.sh's (login required, username as client id, password_file + acl_file).
 */
export class ScratchMosquitto {
  private constructor(
    readonly devicePort: number,
    private readonly internal: number | undefined,
    readonly dir: string,
    private readonly process: ChildProcess,
  ) {}

  static async start(options: ScratchMosquittoOptions = {}): Promise<ScratchMosquitto> {
    const dir = await mkdtemp(join(tmpdir(), 'scratch-mosquitto-'));
    const devicePort = await freePort();
    const internalPort = options.internalListener ? await freePort() : undefined;
    const files = options.files ?? renderBrokerCredentials([]);
    await writeFile(join(dir, 'devices.passwd'), files.passwordFile, { mode: 0o600 });
    await writeFile(join(dir, 'devices.acl'), files.aclFile, { mode: 0o600 });
    // `user root`: started as root, Mosquitto would otherwise switch to a user that cannot read the temp folder.
    // Mosquitto writes pid_file without -d too, and removes it on exit: the API's writer signals that pid.
    const config = [
      'user root',
      'per_listener_settings true',
      `pid_file ${join(dir, 'mosquitto.pid')}`,
      'log_dest stderr',
      'log_type error',
      ...(internalPort === undefined ? [] : [`listener ${internalPort} 127.0.0.1`, 'allow_anonymous true']),
      `listener ${devicePort} 127.0.0.1`,
      'allow_anonymous false',
      'use_username_as_clientid true',
      `password_file ${join(dir, 'devices.passwd')}`,
      `acl_file ${join(dir, 'devices.acl')}`,
    ].join('\n');
    await writeFile(join(dir, 'mosquitto.conf'), `${config}\n`);
    const child = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const broker = new ScratchMosquitto(devicePort, internalPort, dir, child);
    try {
      const running = () => {
        if (child.exitCode !== null) throw new Error(`scratch Mosquitto exited with ${child.exitCode} (its log is above)`);
        return true;
      };
      await waitUntil(() => running() && portAnswers(devicePort), 5000, `scratch Mosquitto on port ${devicePort}`);
      if (internalPort !== undefined) await waitUntil(() => portAnswers(internalPort), 5000, `scratch Mosquitto on port ${internalPort}`);
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  get deviceUrl(): string {
    return `mqtt://127.0.0.1:${this.devicePort}`;
  }

  /** The anonymous listener (started with `internalListener: true`). */
  get internalUrl(): string {
    if (this.internal === undefined) throw new Error('this scratch Mosquitto was started without an internal listener');
    return `mqtt://127.0.0.1:${this.internal}`;
  }

  /** The environment (libs/config names) that points a platform process's device logins at this broker. */
  deviceAuthEnv(): Record<string, string> {
    return {
      MQTT_DEVICE_HOST: '127.0.0.1',
      MQTT_DEVICE_PORT: String(this.devicePort),
      MQTT_DEVICE_PASSWORD_FILE: join(this.dir, 'devices.passwd'),
      MQTT_DEVICE_ACL_FILE: join(this.dir, 'devices.acl'),
      MQTT_BROKER_PID_FILE: join(this.dir, 'mosquitto.pid'),
    };
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Connects with MQTT 5 and no retries: a refusal rejects with its reason code. */
export function connectMqtt(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000, ...options });
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
