import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { promisify } from 'node:util';
import { renderBrokerCredentials } from '#app/broker-auth';
import { portAnswers, waitUntil } from '../support/ports.js';

export { waitUntil };
import { projectRoot } from '../support/project-root.js';

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
  /**
   * Load the device listener's plugin that refuses every SUBSCRIBE, as scripts/infra.sh and docker/ do (the
   * default). Off only to show what the plugin prevents.
   */
  readonly refuseDeviceSubscriptions?: boolean;
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
    const files = options.files ?? renderBrokerCredentials([]);
    const plugin = options.refuseDeviceSubscriptions === false ? undefined : await refuseSubscriptionsPlugin();
    // A free port can be taken by another process between our check and the broker's bind (tests and other
    // brokers run in parallel on this machine): a broker that exits at start is retried on new ports.
    for (let attempt = 1; ; attempt += 1) {
      const started = await ScratchMosquitto.startOnce(options, files, plugin);
      if (started instanceof ScratchMosquitto) return started;
      if (attempt === 3) throw started;
    }
  }

  private static async startOnce(
    options: ScratchMosquittoOptions,
    files: { readonly passwordFile: string; readonly aclFile: string },
    plugin: string | undefined,
  ): Promise<ScratchMosquitto | Error> {
    const dir = await mkdtemp(join(tmpdir(), 'scratch-mosquitto-'));
    const [devicePort, internalPort] = await freePorts(options.internalListener ? 2 : 1);
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
      `listener ${devicePort!} 127.0.0.1`,
      'allow_anonymous false',
      'use_username_as_clientid true',
      `password_file ${join(dir, 'devices.passwd')}`,
      `acl_file ${join(dir, 'devices.acl')}`,
      ...(plugin === undefined ? [] : [`plugin ${plugin}`]),
    ].join('\n');
    await writeFile(join(dir, 'mosquitto.conf'), `${config}\n`);
    const child = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const broker = new ScratchMosquitto(devicePort!, internalPort, dir, child);
    try {
      const running = () => {
        if (child.exitCode !== null) throw new Error(`scratch Mosquitto exited with ${child.exitCode} (its log is above)`);
        return true;
      };
      await waitUntil(() => running() && portAnswers(devicePort!), 5000, `scratch Mosquitto on port ${devicePort}`);
      if (internalPort !== undefined)
        await waitUntil(() => running() && portAnswers(internalPort), 5000, `scratch Mosquitto on port ${internalPort}`);
    } catch (error) {
      await broker.stop();
      return error instanceof Error ? error : new Error(String(error));
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

/**
 * The device listener's plugin, built with the script scripts/infra.sh uses, once per version of its source
 * (test files run in parallel: the script renames a finished build into place).
 */
async function refuseSubscriptionsPlugin(): Promise<string> {
  const source = await readFile(join(projectRoot, 'libs/broker-auth/mosquitto/refuse-subscriptions.c'));
  const dir = join(tmpdir(), 'carhealth-mosquitto-plugin');
  const built = join(dir, `refuse-subscriptions-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.so`);
  const present = await access(built).then(
    () => true,
    () => false,
  );
  if (!present) {
    await mkdir(dir, { recursive: true });
    await promisify(execFile)(join(projectRoot, 'scripts/build-mosquitto-plugin.sh'), [built]);
  }
  return built;
}

/** Connects with MQTT 5 and no retries: a refusal rejects with its reason code. */
export function connectMqtt(url: string, options: IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 5000, ...options });
}

/** Distinct free ports: every server stays open until all are picked, so no port is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (typeof address !== 'object' || address === null) throw new Error('no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
