import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/project-root.js';

const run = promisify(execFile);

/** Secrets compose requires (no defaults); the values only need to be present for `config`. */
const secrets = { JWT_SECRET: 'compose-test-jwt-4Kq9XvT2mPz7LwR1', POSTGRES_PASSWORD: '3f9a1c77e2b04d58' };

/**
 * `docker compose` (v2 plugin) where present, else Debian's docker-compose (scripts/test.sh installs it).
 * Runs with exactly the given secrets: the ones `npm test` exports and a developer's .env are kept out, so the
 * test sees what a fresh deployment would.
 */
async function compose(env: Partial<typeof secrets>, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const pluginPresent = await run('docker', ['compose', 'version']).then(
    () => true,
    () => false,
  );
  const emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'compose-env-')), '.env');
  writeFileSync(emptyEnvFile, '');
  const [command, prefix] = pluginPresent ? ['docker', ['compose']] : ['docker-compose', []];
  const { JWT_SECRET: _jwt, POSTGRES_PASSWORD: _pg, ...inherited } = process.env;
  return run(command, [...prefix, '--env-file', emptyEnvFile, ...args], { cwd: projectRoot, env: { ...inherited, ...env } });
}

describe('docker-compose.yml', () => {
  it('is valid and defines every service of the platform', async () => {
    const services = (await compose(secrets, 'config', '--services')).stdout.trim().split('\n').sort();
    expect(services).toEqual(['api', 'ingestion', 'migrate', 'mosquitto', 'postgres', 'redis', 'simulator', 'worker']);
  });

  it('gives the infrastructure and the apps health checks, and starts apps only once their dependencies are healthy', async () => {
    const { stdout: config } = await compose(secrets, 'config');
    for (const service of ['postgres', 'redis', 'mosquitto', 'api', 'ingestion', 'worker']) {
      const block = serviceBlock(config, service);
      expect(block).toContain('healthcheck:');
    }
    expect(config).toContain('condition: service_healthy');
    expect(config).toContain('condition: service_completed_successfully');
  });

  it('restarts an app or a server that crashed (restart: unless-stopped), and binds the API to every interface of its container', async () => {
    const { stdout: config } = await compose(secrets, 'config');
    for (const service of ['api', 'ingestion', 'worker', 'simulator', 'postgres', 'redis', 'mosquitto']) {
      expect(serviceBlock(config, service)).toMatch(/\n {4}restart: unless-stopped(\n|$)/);
    }
    expect(serviceBlock(config, 'api')).toMatch(/\n {6}HOST: 0\.0\.0\.0\n/);
  });

  it.each([
    [
      'JWT_SECRET',
      { POSTGRES_PASSWORD: secrets.POSTGRES_PASSWORD },
      /set JWT_SECRET to at least 32 random characters \(make one with openssl rand -base64 48\)/,
    ],
    ['POSTGRES_PASSWORD', { JWT_SECRET: secrets.JWT_SECRET }, /set POSTGRES_PASSWORD \(URL-safe; make one with openssl rand -hex 24\)/],
  ])('refuses to run without %s, saying how to make one', async (_name, env, message) => {
    const failure = await compose(env, 'config').then(
      () => new Error('compose accepted the file without the secret'),
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ stderr: expect.stringMatching(message) });
    expect((failure as { code?: number }).code).not.toBe(0);
  });

  it('passes the secrets to the apps and the database, with no default left in the file', async () => {
    const { stdout: config } = await compose(secrets, 'config');
    expect(serviceBlock(config, 'api')).toContain(`JWT_SECRET: ${secrets.JWT_SECRET}`);
    expect(serviceBlock(config, 'api')).toContain(`postgresql://carhealth:${secrets.POSTGRES_PASSWORD}@postgres:5432/carhealth`);
    expect(serviceBlock(config, 'postgres')).toContain(`POSTGRES_PASSWORD: ${secrets.POSTGRES_PASSWORD}`);
    // The API and the worker find the same VAPID key pair (one volume), never one per container.
    expect(serviceBlock(config, 'api')).toContain('vapid:/var/lib/carhealth/vapid');
    expect(serviceBlock(config, 'worker')).toContain('vapid:/var/lib/carhealth/vapid');
    const source = readFileSync(join(projectRoot, 'docker-compose.yml'), 'utf8');
    expect(source).not.toMatch(/\$\{(JWT_SECRET|POSTGRES_PASSWORD):-/);
    expect(source).not.toMatch(/change-me|POSTGRES_PASSWORD: carhealth/);
  });

  it("builds its broker with the device listener's plugin and gives that listener scripts/infra.sh's settings", async () => {
    const { stdout: config } = await compose(secrets, 'config');
    const mosquitto = config.split(/\n {2}(?=[a-z]+:\n)/).find((part) => part.startsWith('mosquitto:'));
    expect(mosquitto).toContain('dockerfile: docker/mosquitto.Dockerfile');
    const composeDevice = deviceListener(await readFile(join(projectRoot, 'docker/mosquitto.conf'), 'utf8'));
    const infraDevice = deviceListener(await infraMosquittoConfig());

    // Paths differ (a volume there, the state folder here); the directives, their values otherwise and the plugin do not.
    expect(composeDevice.map(([key]) => key)).toEqual(infraDevice.map(([key]) => key));
    expect(composeDevice.map(([key]) => key)).toEqual(['allow_anonymous', 'use_username_as_clientid', 'password_file', 'acl_file', 'plugin']);
    expect(composeDevice.slice(0, 2)).toEqual(infraDevice.slice(0, 2));
    const plugin = composeDevice.find(([key]) => key === 'plugin')![1];
    expect(basename(plugin)).toBe(basename(infraDevice.find(([key]) => key === 'plugin')![1]));
    const dockerfile = await readFile(join(projectRoot, 'docker/mosquitto.Dockerfile'), 'utf8');
    expect(dockerfile).toContain('COPY libs/broker-auth/mosquitto/refuse-subscriptions.c');
    expect(dockerfile).toMatch(new RegExp(`^COPY --from=plugin \\S+/${basename(plugin)} ${plugin}$`, 'm'));
  });
});

/** One service's block of `compose config` output (services are indented two spaces, sorted). */
function serviceBlock(config: string, service: string): string {
  const block = config.split(/\n {2}(?=[a-z]+:\n)/).find((part) => part.startsWith(`${service}:`));
  if (block === undefined) throw new Error(`no service ${service} in compose config`);
  return block;
}

/** scripts/infra.sh's mosquitto_config, rendered for a device listener on 1884 without starting anything. */
async function infraMosquittoConfig(): Promise<string> {
  const script = `eval "$(sed -n '/^mosquitto_config() {/,/^}/p' scripts/infra.sh)" && mosquitto_config`;
  const env = { ...process.env, CARHEALTH_STATE: '/state', MQTT_PORT: '1883', MQTT_DEVICE_PORT: '1884', MQTT_DEVICE_BIND: '0.0.0.0' };
  return (await run('bash', ['-c', script], { cwd: projectRoot, env })).stdout;
}

/** The directives of the `listener 1884` section, in order, comments left out. */
function deviceListener(conf: string): [string, string][] {
  const lines = conf
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const start = lines.findIndex((line) => /^listener 1884\b/.test(line));
  expect(start).toBeGreaterThanOrEqual(0);
  const section = lines.slice(start + 1);
  const end = section.findIndex((line) => line.startsWith('listener '));
  return (end === -1 ? section : section.slice(0, end)).map((line) => {
    const [key, ...value] = line.split(/\s+/);
    return [key!, value.join(' ')];
  });
}
