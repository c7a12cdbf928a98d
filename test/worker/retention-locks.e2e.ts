import pg from 'pg';
import { loadApiConfig } from '#app/config';
import { DatabasePool, PrismaService, TelemetryBatchWriter } from '#app/database';
import { LOCK_TIMEOUT_MS, RetentionRepository } from '../../apps/worker/src/retention/retention.repository.js';
import { createFleet } from '../support/fixtures.js';
import { waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';

const DAY_MS = 86_400_000;
/**
 * A commit on a loaded machine plus one lock wait: well under what waiting behind the reader would cost (the
 * reader below holds the table for the sweep's three attempts, over 3 s).
 */
const MAX_COMMIT_MS = LOCK_TIMEOUT_MS * 5;

/**
 * Partition drops and creations take an ACCESS EXCLUSIVE lock on the parent table, and ingestion's statements queue
 * behind one that waits. With a report-style reader holding the table, the change must give up within the lock
 * timeout and be postponed, while the batch writer keeps committing; once the reader is gone it goes through.
 */
describe(`${RetentionRepository.name} under ingestion`, () => {
  const config = loadApiConfig();
  const prisma = new PrismaService(config);
  const repository = new RetentionRepository(prisma);
  const pool = new DatabasePool(testEnv.databaseUrl, 2, () => undefined);
  const writer = new TelemetryBatchWriter(pool);
  const reader = new pg.Client({ connectionString: testEnv.databaseUrl });
  let stopWriting = false;
  let writing: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    await reader.connect();
  });

  afterAll(async () => {
    stopWriting = true;
    await writing;
    await reader.query('ROLLBACK').catch(() => undefined);
    await reader.end();
    await pool.end();
    await prisma.$disconnect();
  });

  it('a drop and a creation behind a long reader are postponed within the lock timeout, ingestion commits meanwhile, and both go through after', async () => {
    const vehicle = (await createFleet(prisma, 1)).vehicles[0];
    if (vehicle === undefined) throw new Error('no vehicle');
    const now = new Date();
    const oldDay = new Date(now.getTime() - 405 * DAY_MS);
    const futureDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + 40 * DAY_MS);
    await prisma.$executeRaw`SELECT telemetry_partition_create('telemetry_samples', ${oldDay.toISOString().slice(0, 10)}::date)`;
    const oldName = `telemetry_samples_p${oldDay.toISOString().slice(0, 10).replaceAll('-', '')}`;
    const futureName = `telemetry_samples_p${futureDay.toISOString().slice(0, 10).replaceAll('-', '')}`;
    const partitionNamed = async (name: string) => (await repository.dayPartitions('telemetry_samples')).find((p) => p.name === name);
    const oldPartition = await partitionNamed(oldName);
    if (oldPartition === undefined) throw new Error(`${oldName} was not created`);

    // Ingestion: one-sample batches committed back to back, each commit timed.
    const commits: { at: number; ms: number }[] = [];
    let seq = 1;
    writing = (async () => {
      while (!stopWriting) {
        const started = performance.now();
        await writer.write([{ vehicleId: vehicle.id, sample: { seq: seq++, ts: new Date(), coolantTempC: 90 } }], []);
        commits.push({ at: performance.now(), ms: performance.now() - started });
      }
    })();
    await waitFor(
      () => Promise.resolve(commits.length),
      (n) => n >= 3,
      30_000,
    );

    // A long reader (a report, an export) holds the table for as long as the changes try.
    await reader.query('BEGIN');
    await reader.query(`SELECT count(*) FROM telemetry_samples WHERE ts > now() - interval '1 day'`);
    const tryingFrom = performance.now();
    const droppedWhileRead = await repository.dropPartition('telemetry_samples', oldPartition);
    const createdWhileRead = await repository.createPartitions('telemetry_samples', futureDay, 0);
    const tryingUntil = performance.now();
    await reader.query('COMMIT');

    const droppedAfter = await repository.dropPartition('telemetry_samples', oldPartition);
    const createdAfter = await repository.createPartitions('telemetry_samples', futureDay, 0);
    const future = await partitionNamed(futureName);
    const droppedFuture = future === undefined ? false : await repository.dropPartition('telemetry_samples', future);
    stopWriting = true;
    await writing;

    const during = commits.filter((commit) => commit.at >= tryingFrom && commit.at <= tryingUntil);
    const slowest = Math.max(...during.map((commit) => commit.ms));
    console.log(
      `behind a reader: drop and creation tried for ${Math.round(tryingUntil - tryingFrom)} ms and were postponed; ` +
        `${during.length} ingestion commits meanwhile, slowest ${Math.round(slowest)} ms (lock timeout ${LOCK_TIMEOUT_MS} ms)`,
    );
    expect(droppedWhileRead).toBe(false);
    // At least the future day; also any day another test left stranded in the default partition.
    expect(createdWhileRead.created).toBe(0);
    expect(createdWhileRead.busy).toBeGreaterThanOrEqual(1);
    expect(during.length).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(MAX_COMMIT_MS);
    expect(droppedAfter).toBe(true);
    expect(createdAfter.busy).toBe(0);
    expect(createdAfter.created).toBe(createdWhileRead.busy);
    expect(droppedFuture).toBe(true);
    expect(await partitionNamed(oldName)).toBeUndefined();
    expect(await prisma.telemetrySample.count({ where: { vehicleId: vehicle.id } })).toBe(commits.length);
  });
});
