import { execFile } from 'node:child_process';
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
});
