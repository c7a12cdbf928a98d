import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/project-root.js';

const run = promisify(execFile);
const FILE = 'deploy/cluster/docker-compose.yml';
const secrets = { JWT_SECRET: 'compose-test-jwt-4Kq9XvT2mPz7LwR1', POSTGRES_PASSWORD: '3f9a1c77e2b04d58', NATS_PASSWORD: '9b1e4d2c7a6f0e35' };

/** `docker compose` (v2 plugin) where present, else Debian's docker-compose; only the given secrets, no .env. */
async function compose(env: Partial<typeof secrets>, ...args: string[]): Promise<string> {
  const plugin = await run('docker', ['compose', 'version']).then(
    () => true,
    () => false,
  );
  const emptyEnvFile = join(mkdtempSync(join(tmpdir(), 'compose-env-')), '.env');
  writeFileSync(emptyEnvFile, '');
  const [command, prefix] = plugin ? ['docker', ['compose']] : ['docker-compose', []];
  const { JWT_SECRET: _jwt, POSTGRES_PASSWORD: _pg, NATS_PASSWORD: _nats, ...inherited } = process.env;
  const { stdout } = await run(command, [...prefix, '-f', FILE, '--env-file', emptyEnvFile, ...args], {
    cwd: projectRoot,
    env: { ...inherited, ...env },
  });
  return stdout;
}

/** One service's block of `compose config` output (services indented two spaces). */
function serviceBlock(config: string, service: string): string {
  const block = config.split(/\n {2}(?=[a-z0-9-]+:\n)/).find((part) => part.startsWith(`${service}:`));
  if (block === undefined) throw new Error(`no service ${service} in compose config`);
  return block;
}

const APPS = ['api1', 'api2', 'ingestion1', 'ingestion2', 'ingestion3', 'worker1', 'worker2'];

describe('deploy/cluster/docker-compose.yml: the npm run cluster topology for real hosts', () => {
  it('is valid and has the same parts as npm run cluster: 3 broker nodes, 6 Redis nodes, 3 ingestion replicas, 2 workers, 2 APIs', async () => {
    const services = (await compose(secrets, 'config', '--services')).trim().split('\n').sort();
    expect(services).toEqual(
      [
        'api1',
        'api2',
        'ingestion1',
        'ingestion2',
        'ingestion3',
        'migrate',
        'nats1',
        'nats2',
        'nats3',
        'postgres',
        'redis-cluster-create',
        'redis1',
        'redis2',
        'redis3',
        'redis4',
        'redis5',
        'redis6',
        'simulator',
        'worker1',
        'worker2',
      ].sort(),
    );
  });

  it('points every app at the Redis Cluster and the NATS tier, and every API readiness at each broker node', async () => {
    const config = await compose(secrets, 'config');
    for (const app of APPS) {
      const block = serviceBlock(config, app);
      expect(block).toContain('REDIS_CLUSTER_NODES: redis1:6379,redis2:6379,redis3:6379');
      expect(block).toContain('NATS_SERVERS: nats://nats1:4222,nats://nats2:4222,nats://nats3:4222');
      expect(block).toContain('INGESTION_SOURCE: nats');
      expect(block).toContain('MQTT_BROKER_NODES: nats1:1883,nats2:1883,nats3:1883');
      expect(block).toContain(`NATS_PASSWORD: ${secrets.NATS_PASSWORD}`);
      expect(block).toContain('restart: unless-stopped');
      expect(block).toContain('healthcheck:');
      expect(block).toContain('condition: service_completed_successfully');
    }
    // A stable, distinct client id per ingestion replica; each started after the previous one is up.
    expect(['ingestion1', 'ingestion2', 'ingestion3'].map((app) => /INGEST_CLIENT_ID: (\S+)/.exec(serviceBlock(config, app))?.[1])).toEqual([
      'ingest-1',
      'ingest-2',
      'ingest-3',
    ]);
    expect(serviceBlock(config, 'ingestion3')).toMatch(/ingestion2:\n\s+condition: service_healthy/);
    for (const node of ['nats1', 'nats2', 'nats3', 'redis1', 'redis6']) expect(serviceBlock(config, node)).toContain('healthcheck:');
    expect(serviceBlock(config, 'nats1')).toContain('image: nats:2.15.1-alpine');
  });

  it('refuses to run without NATS_PASSWORD, saying how to make one', async () => {
    const { NATS_PASSWORD: _omitted, ...rest } = secrets;
    const failure = await compose(rest, 'config').then(
      () => new Error('compose accepted the file without NATS_PASSWORD'),
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ stderr: expect.stringMatching(/set NATS_PASSWORD \(URL-safe; make one with openssl rand -hex 24\)/) });
  });

  it("gives its broker nodes scripts/nats-cluster.sh's settings: JetStream, a route to each node, MQTT with 3 stream replicas", () => {
    const conf = readFileSync(join(projectRoot, 'deploy/cluster/nats.conf'), 'utf8');
    expect(conf).toMatch(/jetstream \{/);
    expect(conf).toContain('routes: [ nats-route://nats1:6222, nats-route://nats2:6222, nats-route://nats3:6222 ]');
    expect(conf).toMatch(/mqtt \{\n\s+listen: 0\.0\.0\.0:1883\n[\s\S]*stream_replicas: 3/);
    const script = readFileSync(join(projectRoot, 'scripts/nats-cluster.sh'), 'utf8');
    expect(script).toContain('stream_replicas: 3');
    const redis = readFileSync(join(projectRoot, 'deploy/cluster/redis.conf'), 'utf8');
    expect(redis).toContain('cluster-enabled yes');
    expect(redis).toContain('maxmemory-policy noeviction');
  });
});
