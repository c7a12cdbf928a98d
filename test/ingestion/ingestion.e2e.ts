import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { QueueName } from '#app/queue';
import { createFleet, type FleetFixture, randomVin, sampleFor } from '../support/fixtures.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { discardSession, TelemetryPublisher, waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';

/** Ends the broker sessions an ingestion of this test left (2 connections by default). */
async function discardIngestionSessions(tag: string): Promise<void> {
  for (const index of [0, 1]) await discardSession(testEnv.mqttUrl, `ingest-test-${tag}-${index}`);
}

/** Ingestion env for one test: its own share group, client id and queue prefix. */
function ingestionEnv(tag: string): Record<string, string> {
  return {
    DATABASE_URL: testEnv.databaseUrl,
    REDIS_URL: testEnv.redisUrl,
    MQTT_URL: testEnv.mqttUrl,
    MQTT_SHARE_GROUP: `test-${tag}`,
    INGEST_CLIENT_ID: `ingest-test-${tag}`,
    QUEUE_PREFIX: `test-${tag}`,
    SCORING_DEBOUNCE_MS: '2000',
  };
}

async function countStored(prisma: PrismaClient, fleet: FleetFixture): Promise<{ rows: number; distinct: number }> {
  const [row] = await prisma.$queryRaw<{ rows: bigint; distinct: bigint }[]>`
    SELECT count(*) AS rows, count(DISTINCT ("vehicleId", seq)) AS distinct
    FROM telemetry_samples WHERE "vehicleId" = ANY(${fleet.vehicles.map((v) => v.id)}::uuid[])`;
  return { rows: Number(row!.rows), distinct: Number(row!.distinct) };
}

describe('MQTT ingestion', () => {
  let prisma: PrismaClient;
  let redis: Redis;

  beforeAll(() => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
    redis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await redis.quit();
  });

  it('stores 1,000 samples once despite 50 duplicates, rejects 5 bad messages with reasons, coalesces scoring jobs', async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(prisma, 10);
    const ingestion = new IngestionProcess(ingestionEnv(tag));
    await ingestion.start();
    const publisher = await TelemetryPublisher.connect(testEnv.mqttUrl, `device-sim-${tag}`);
    try {
      const now = Date.now();
      const good = fleet.vehicles.flatMap((vehicle) =>
        Array.from({ length: 100 }, (_, i) => ({
          vin: vehicle.vin,
          payload: JSON.stringify(sampleFor(i + 1, new Date(now - (100 - i) * 1000))),
        })),
      );
      // Half single samples, half in {samples:[...]} batches of 10, as buffering devices send them.
      const batched: { vin: string; payload: string }[] = [];
      for (const vehicle of fleet.vehicles.slice(5)) {
        const own = good.filter((m) => m.vin === vehicle.vin).map((m) => JSON.parse(m.payload) as unknown);
        for (let i = 0; i < own.length; i += 10) batched.push({ vin: vehicle.vin, payload: JSON.stringify({ samples: own.slice(i, i + 10) }) });
      }
      const singles = good.filter((m) => fleet.vehicles.slice(0, 5).some((v) => v.vin === m.vin));
      const duplicates = singles.filter((_, i) => i % 10 === 0); // 50 redeliveries of stored samples
      const [first] = fleet.vehicles;
      const bad = [
        { vin: first!.vin, payload: '{"ts": "2026-11-26T08:00:00Z", "seq": 9001, "coolantTempC": 9' },
        { vin: randomVin(), payload: JSON.stringify(sampleFor(1)) },
        { vin: first!.vin, payload: JSON.stringify({ ...sampleFor(9002), coolantTempC: 400 }) },
        { vin: first!.vin, payload: JSON.stringify(sampleFor(9003, new Date(now + 7 * 24 * 3600 * 1000))) },
        { vin: first!.vin, payload: JSON.stringify({ samples: Array.from({ length: 2_000 }, (_, i) => sampleFor(10_000 + i)) }) },
      ];
      const all = [...singles, ...batched, ...duplicates, ...bad].sort(() => Math.random() - 0.5);
      await publisher.publishAll(all);

      const vins = [...fleet.vehicles.map((v) => v.vin), bad[1]!.vin];
      const rejected = () => prisma.rejectedMessage.findMany({ where: { vin: { in: vins } }, select: { reason: true, detail: true, vin: true } });
      const stored = await waitFor(
        () => countStored(prisma, fleet),
        (c) => c.rows >= 1000,
        30_000,
      );
      const rejections = await waitFor(rejected, (rows) => rows.length >= 5, 10_000);
      // Give stragglers a chance to show up (they must not).
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const settled = await countStored(prisma, fleet);

      console.log(`stored=${settled.rows} distinct=${settled.distinct} rejected=${rejections.length}`);
      expect(stored.rows).toBe(1000);
      expect(settled).toEqual({ rows: 1000, distinct: 1000 });
      expect(rejections.map((r) => r.reason).sort()).toEqual(
        ['CLOCK_IN_FUTURE', 'MALFORMED_JSON', 'OUT_OF_RANGE', 'PAYLOAD_TOO_LARGE', 'UNKNOWN_VIN'].sort(),
      );
      expect(rejections.find((r) => r.reason === 'OUT_OF_RANGE')!.detail).toMatch(/coolant/i);
      expect(rejections.find((r) => r.reason === 'UNKNOWN_VIN')!.vin).toBe(bad[1]!.vin);

      const vehicles = await prisma.vehicle.findMany({ where: { id: { in: fleet.vehicles.map((v) => v.id) } } });
      expect(vehicles.every((v) => v.telemetryVersion > 0n && v.lastTelemetryAt !== null)).toBe(true);

      // No worker consumes this prefix: every scoring job ever requested is still in the queue.
      const queue = new Queue(QueueName.Scoring, { connection: redis, prefix: `test-${tag}` });
      const jobs = await queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed']);
      await queue.close();
      const perVehicle = new Map<string, number>();
      for (const job of jobs) perVehicle.set(job.data.vehicleId, (perVehicle.get(job.data.vehicleId) ?? 0) + 1);
      console.log(`scoring jobs=${jobs.length} for ${perVehicle.size} vehicles (from ${all.length} messages)`);
      expect(perVehicle.size).toBe(10);
      expect(Math.max(...perVehicle.values())).toBeLessThanOrEqual(2);
    } finally {
      await publisher.close();
      await ingestion.stop('SIGTERM');
      await discardIngestionSessions(tag);
    }
  });

  it('loses nothing and stores nothing twice when killed with SIGKILL in the middle of a 5,000-message burst', async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(prisma, 10);
    const env = { ...ingestionEnv(tag), INGEST_FLUSH_MS: '50', INGEST_BATCH_MAX: '200' };
    const ingestion = new IngestionProcess(env);
    await ingestion.start();
    const publisher = await TelemetryPublisher.connect(testEnv.mqttUrl, `device-burst-${tag}`);
    try {
      const start = Date.now() - 3_600_000;
      const messages = Array.from({ length: 5000 }, (_, i) => {
        const vehicle = fleet.vehicles[i % 10]!;
        const seq = Math.floor(i / 10) + 1;
        return { vin: vehicle.vin, payload: JSON.stringify(sampleFor(seq, new Date(start + i * 100))) };
      });
      const published = publisher.publishAll(messages, 100);

      const beforeKill = await waitFor(
        () => countStored(prisma, fleet),
        (c) => c.rows >= 1000,
        30_000,
        20,
      );
      await ingestion.stop('SIGKILL');
      await published; // the broker accepted every message, whether or not ingestion was up
      const atKill = await countStored(prisma, fleet);
      expect(atKill.rows).toBeLessThan(5000); // killed mid-burst, not after it

      await ingestion.start();
      const after = await waitFor(
        () => countStored(prisma, fleet),
        (c) => c.rows >= 5000,
        60_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const settled = await countStored(prisma, fleet);
      const lost = 5000 - settled.distinct;
      const duplicated = settled.rows - settled.distinct;
      console.log(
        `SIGKILL burst: stored before kill=${beforeKill.rows}, at kill=${atKill.rows}, after restart=${after.rows}; ` +
          `lost=${lost} duplicated=${duplicated}`,
      );
      expect(lost).toBe(0);
      expect(duplicated).toBe(0);
      expect(settled.rows).toBe(5000);
    } finally {
      await publisher.close();
      await ingestion.stop('SIGTERM');
      await discardIngestionSessions(tag);
    }
  });

  it('stores a buffered sample whose day has no partition yet (default partition), refuses one too old, once each', async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(prisma, 1);
    const vehicle = fleet.vehicles[0]!;
    const ingestion = new IngestionProcess(ingestionEnv(tag));
    await ingestion.start();
    const publisher = await TelemetryPublisher.connect(testEnv.mqttUrl, `device-old-${tag}`);
    try {
      const now = Date.now();
      // A device back from 300 days offline: partitions exist only for days that had data and the coming week.
      const late = new Date(now - 300 * 86_400_000);
      const lateDay = `telemetry_samples_p${late.toISOString().slice(0, 10).replaceAll('-', '')}`;
      // Unless an earlier test's maintenance run in this database already gave that day a partition.
      const [{ exists }] = await prisma.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass(${lateDay}) IS NOT NULL AS exists`;
      const payload = JSON.stringify({
        samples: [sampleFor(1, late), sampleFor(2, new Date(now - 1000)), sampleFor(3, new Date(now - 400 * 86_400_000))],
      });
      await publisher.publishAll([
        { vin: vehicle.vin, payload },
        { vin: vehicle.vin, payload },
      ]);

      const stored = await waitFor(
        () => countStored(prisma, fleet),
        (c) => c.rows >= 2,
        30_000,
      );
      const rejections = await waitFor(
        () => prisma.rejectedMessage.findMany({ where: { vehicleId: vehicle.id }, select: { reason: true, sampleIndex: true } }),
        (rows) => rows.length >= 1,
        10_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const rows = await prisma.$queryRaw<{ seq: bigint; partition: string }[]>`
        SELECT seq, tableoid::regclass::text AS partition FROM telemetry_samples WHERE "vehicleId" = ${vehicle.id}::uuid ORDER BY seq`;

      console.log(`out-of-range ts: ${JSON.stringify(rows.map((r) => ({ seq: Number(r.seq), partition: r.partition })))}`);
      expect(stored).toEqual({ rows: 2, distinct: 2 });
      expect(await countStored(prisma, fleet)).toEqual({ rows: 2, distinct: 2 });
      expect(rows[0]!.partition).toBe(exists ? lateDay : 'telemetry_samples_default');
      expect(rows.map((r) => r.seq)).toEqual([1n, 2n]);
      // The same message twice: its refused sample is recorded once too.
      expect(rejections).toEqual([{ reason: 'CLOCK_TOO_OLD', sampleIndex: 2 }]);
    } finally {
      await publisher.close();
      await ingestion.stop('SIGTERM');
      await discardIngestionSessions(tag);
    }
  });

  it('drains in-flight work on SIGTERM and exits cleanly', async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(prisma, 2);
    // A long flush interval: on SIGTERM these messages are still waiting in the batch, not yet written.
    const ingestion = new IngestionProcess({ ...ingestionEnv(tag), INGEST_FLUSH_MS: '60000', INGEST_BATCH_MAX: '100000' });
    await ingestion.start();
    const publisher = await TelemetryPublisher.connect(testEnv.mqttUrl, `device-drain-${tag}`);
    try {
      const messages = Array.from({ length: 200 }, (_, i) => ({
        vin: fleet.vehicles[i % 2]!.vin,
        payload: JSON.stringify(sampleFor(Math.floor(i / 2) + 1)),
      }));
      await publisher.publishAll(messages);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await countStored(prisma, fleet)).rows).toBe(0);
      const exit = await ingestion.stop('SIGTERM');
      const stored = await countStored(prisma, fleet);
      console.log(`SIGTERM drain: exit ${JSON.stringify(exit)}, stored ${stored.rows}/200`);
      // Nest runs the shutdown hooks, then re-raises the signal: the process ends by SIGTERM, not a crash.
      expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
      expect(ingestion.log).toContain('draining 200 message(s)');
      expect(stored).toEqual({ rows: 200, distinct: 200 });
    } finally {
      await publisher.close();
      await discardIngestionSessions(tag);
    }
  });
});
