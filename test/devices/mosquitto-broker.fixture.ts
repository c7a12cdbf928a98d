import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

export const MOSQUITTO = '/usr/sbin/mosquitto';
export const MOSQUITTO_PASSWD = '/usr/bin/mosquitto_passwd';

/** What mqtt.js rejects with when the broker refuses a CONNECT or a PUBLISH (the MQTT 5 reason code). */
export interface MqttRefusal {
  code: number;
}

/**
 * A throw-away Mosquitto with one login-only listener on a free port, for checks that must not touch the
 * shared broker (our own password file format against the real login code).
 */
export class ScratchMosquitto {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly process: ChildProcess,
  ) {}

  static async start(files: { passwordFile: string; aclFile: string }): Promise<ScratchMosquitto> {
    const dir = await mkdtemp(join(tmpdir(), 'scratch-mosquitto-'));
    const port = await freePort();
    await writeFile(join(dir, 'devices.passwd'), files.passwordFile, { mode: 0o600 });
    await writeFile(join(dir, 'devices.acl'), files.aclFile, { mode: 0o600 });
    // `user root`: started as root, Mosquitto would otherwise switch to a user that cannot read the temp folder.
    const config = [
      'user root',
      'per_listener_settings true',
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${join(dir, 'devices.passwd')}`,
      `acl_file ${join(dir, 'devices.acl')}`,
      'log_dest stderr',
      'log_type error',
    ].join('\n');
    await writeFile(join(dir, 'mosquitto.conf'), `${config}\n`);
    const child = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
    const broker = new ScratchMosquitto(port, dir, child);
    await waitUntil(() => portAnswers(port), 5000, `scratch Mosquitto on port ${port}`);
    return broker;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    await exited;
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
