import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/project-root.js';

const run = promisify(execFile);

/** `docker compose` (v2 plugin) where present, else Debian's docker-compose (scripts/test.sh installs it). */
async function compose(...args: string[]): Promise<string> {
  const pluginPresent = await run('docker', ['compose', 'version']).then(
    () => true,
    () => false,
  );
  const [command, prefix] = pluginPresent ? ['docker', ['compose']] : ['docker-compose', []];
  return (await run(command, [...prefix, ...args], { cwd: projectRoot })).stdout;
}

describe('docker-compose.yml', () => {
  it('is valid and defines every service of the platform', async () => {
    const services = (await compose('config', '--services')).trim().split('\n').sort();
    expect(services).toEqual(['api', 'ingestion', 'migrate', 'mosquitto', 'postgres', 'redis', 'simulator', 'worker']);
  });

  it('gives the infrastructure and the apps health checks, and starts apps only once their dependencies are healthy', async () => {
    const config = await compose('config');
    for (const service of ['postgres', 'redis', 'mosquitto', 'api', 'ingestion', 'worker']) {
      const block = config.split(/\n  (?=[a-z]+:\n)/).find((part) => part.startsWith(`${service}:`));
      expect(block).toBeDefined();
      expect(block).toContain('healthcheck:');
    }
    expect(config).toContain('condition: service_healthy');
    expect(config).toContain('condition: service_completed_successfully');
  });

  it("builds its broker with the device listener's plugin and gives that listener scripts/infra.sh's settings", async () => {
    const config = await compose('config');
    const mosquitto = config.split(/\n  (?=[a-z]+:\n)/).find((part) => part.startsWith('mosquitto:'));
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

/** scripts/infra.sh's mosquitto_config, rendered for a device listener on 1884 without starting anything. */
async function infraMosquittoConfig(): Promise<string> {
  const script = `eval "$(sed -n '/^mosquitto_config() {/,/^}/p' scripts/infra.sh)" && mosquitto_config`;
  const env = { ...process.env, CARHEALTH_STATE: '/state', MQTT_PORT: '1883', MQTT_DEVICE_PORT: '1884', MQTT_DEVICE_BIND: '0.0.0.0' };
  return (await run('bash', ['-c', script], { cwd: projectRoot, env })).stdout;
}

/** The directives of the `listener 1884` section, in order, comments left out. */
function deviceListener(conf: string): [string, string][] {
  const lines = conf.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const start = lines.findIndex((line) => /^listener 1884\b/.test(line));
  expect(start).toBeGreaterThanOrEqual(0);
  const section = lines.slice(start + 1);
  const end = section.findIndex((line) => line.startsWith('listener '));
  return (end === -1 ? section : section.slice(0, end)).map((line) => {
    const [key, ...value] = line.split(/\s+/);
    return [key!, value.join(' ')];
  });
}
