import { randomUUID } from 'node:crypto';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { AppProcess } from '../support/app-process.js';
import { createFleet } from '../support/fixtures.js';
import { ScratchRedis } from '../support/scratch-servers.js';
import { discardSession, waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';
import { countAgainst, sleep, TelemetryStream, waitUntilStored } from './support/telemetry-stream.js';

const RATE = 1_000;
const OUTAGE_MS = 15_000;

/**
 * Redis SIGKILLed (the queue engine, not the record) in the middle of a 1,000 msg/s stream and started again
 * 15 s later from its append-only file: telemetry keeps being stored meanwhile, no app exits, and every car
 * is scored afterwards (jobs lost with Redis are found again by the reconciler from Postgres).
 */
describe('a Redis crash does not stop the platform', () => {
  let redis: ScratchRedis;
  let prisma: PrismaClient;
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    redis = await ScratchRedis.start();
    prisma = createPrismaClient(testEnv.databaseUrl, 2);
  });

  afterAll(async () => {
    for (const app of apps) await app.stop('SIGTERM', 20_000);
    await prisma.$disconnect();
    await redis.destroy();
  });

  it('killed 15 s mid-stream: 0 lost, 0 duplicated, no app exited, every car scored after it', async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(prisma, 20);
    const env = {
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: redis.url,
      MQTT_URL: testEnv.mqttUrl,
      MQTT_SHARE_GROUP: '',
      INGEST_CLIENT_ID: `ingest-redis-${tag}`,
      QUEUE_PREFIX: `test-redis-${tag}`,
      RECONCILE_INTERVAL_MS: '2000',
      SCORING_INTERVAL_MS: '1000',
      SCORING_DEBOUNCE_MS: '500',
    };
    const ingestion = new AppProcess('ingestion', env);
    const worker = new AppProcess('worker', env);
    apps.push(ingestion, worker);
    await Promise.all(apps.map((app) => app.start()));
    const pids = apps.map((app) => app.pid);

    const stream = await TelemetryStream.start(testEnv.mqttUrl, `car-redis-${tag}`, fleet, RATE);
    try {
      await sleep(3_000);
      await redis.kill('SIGKILL');
      const storedAtKill = (await countAgainst(prisma, fleet, stream.acknowledged)).rows;
      await sleep(OUTAGE_MS);
      const storedDuringOutage = (await countAgainst(prisma, fleet, stream.acknowledged)).rows - storedAtKill;
      await redis.resume();
      const restartedAt = Date.now();
      await sleep(2_000);
      await stream.stop();

      await waitUntilStored(prisma, fleet, stream.acknowledged, 60_000);
      const final = await countAgainst(prisma, fleet, stream.acknowledged);
      const ids = fleet.vehicles.map((v) => v.id);
      const unscored = () => prisma.vehicle.count({ where: { id: { in: ids }, lastScoredAt: { lt: new Date(restartedAt) } } });
      const neverScored = () => prisma.vehicle.count({ where: { id: { in: ids }, lastScoredAt: null } });
      const left = await waitFor(
        async () => (await unscored()) + (await neverScored()),
        (n) => n === 0,
        60_000,
        500,
      );
      const scoredAfter = (Date.now() - restartedAt) / 1000;
      const exited = apps.filter((app, i) => !app.running || app.pid !== pids[i]).length;
      console.log(
        `redis SIGKILL for ${OUTAGE_MS / 1000} s mid-stream: acknowledged=${stream.acknowledged.size} stored=${final.distinct} ` +
          `lost=${final.lost} duplicated=${final.rows - final.distinct} stored during the outage=${storedDuringOutage} ` +
          `apps exited=${exited}; every car scored again ${scoredAfter.toFixed(1)} s after Redis came back (${left} not)`,
      );
      expect(storedDuringOutage).toBeGreaterThan(RATE * 5);
      expect(final.lost).toBe(0);
      expect(final.rows).toBe(final.distinct);
      expect(exited).toBe(0);
      expect(left).toBe(0);
    } finally {
      await stream.stop(1_000);
      await ingestion.stop('SIGTERM');
      await discardSession(testEnv.mqttUrl, `ingest-redis-${tag}-0`);
    }
  }, 180_000);
});
