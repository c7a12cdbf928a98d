import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    ['JWT_SECRET', { POSTGRES_PASSWORD: secrets.POSTGRES_PASSWORD }, /set JWT_SECRET to at least 32 random characters \(make one with openssl rand -base64 48\)/],
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
});

/** One service's block of `compose config` output (services are indented two spaces, sorted). */
function serviceBlock(config: string, service: string): string {
  const block = config.split(/\n  (?=[a-z]+:\n)/).find((part) => part.startsWith(`${service}:`));
  if (block === undefined) throw new Error(`no service ${service} in compose config`);
  return block;
}
