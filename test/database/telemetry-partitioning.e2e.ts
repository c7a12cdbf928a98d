import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { applyMigrations, DatabasePool, TelemetryBatchWriter, type VehicleSample } from '#app/database';
import { migrationSubset } from '../support/migration-subset.js';
import { ScratchDatabase } from '../support/scratch-database.js';
import { projectRoot } from '../support/test-env.js';

const PARTITIONING = '20261206170533_partition_telemetry_by_day';
const DAY_MS = 86_400_000;
const SAMPLE_COLUMNS = `id, "vehicleId", seq, ts, "receivedAt", "odometerKm", "speedKph", rpm, "coolantTempC", "fuelRateLph",
  "fuelRateEstimated", "batteryV", "engineLoadPct", "intakeTempC", "mafGps", "manifoldPressureKpa", "throttlePct", "ambientTempC", dtcs`;
const TIRE_COLUMNS = `id, "vehicleId", position, ts, source, "sampleSeq", "inspectionId", "odometerKm", "treadMm", "pressureKpa", "createdAt"`;

/** Every row of both tables, column by column, as one digest: equal before and after means nothing changed. */
async function fingerprint(db: pg.Client): Promise<{ samples: number; samplesDigest: string; tires: number; tiresDigest: string }> {
  const samples = await db.query<{ n: string; digest: string }>(
    `SELECT count(*) AS n, md5(string_agg(json_build_array(${SAMPLE_COLUMNS})::text, ',' ORDER BY id)) AS digest FROM telemetry_samples`,
  );
  const tires = await db.query<{ n: string; digest: string }>(
    `SELECT count(*) AS n, md5(string_agg(json_build_array(${TIRE_COLUMNS})::text, ',' ORDER BY id)) AS digest FROM tire_readings`,
  );
  return {
    samples: Number(samples.rows[0].n),
    samplesDigest: samples.rows[0].digest,
    tires: Number(tires.rows[0].n),
    tiresDigest: tires.rows[0].digest,
  };
}

async function partitionsOf(db: pg.Client, parent: string): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY 1`,
    [parent],
  );
  return rows.rows.map((row) => row.name);
}

const dayName = (parent: string, at: Date): string => `${parent}_p${at.toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * The partitioning migration on a database that already holds telemetry (a scratch database migrated up to the
 * migration before it), then the batch writer on the partitioned tables: resends, and rows whose day has no partition.
 */
describe(`migration ${PARTITIONING}`, () => {
  const database = new ScratchDatabase('partitioning');
  const db = new pg.Client({ connectionString: database.url });
  // Ingestion's own pool: a connection ended by the server (the scratch database dropped WITH (FORCE) while the
  // pool is still closing, on a loaded machine) is noted, not an unhandled 'error' event that fails the file.
  const pool = new DatabasePool(database.url, 2, () => undefined);
  const writer = new TelemetryBatchWriter(pool);
  const now = new Date();
  const daysAgo = (days: number): Date => new Date(now.getTime() - days * DAY_MS);
  const vehicleId = randomUUID();
  let earlierMigrations: Awaited<ReturnType<typeof migrationSubset>> | undefined;

  beforeAll(async () => {
    await database.create();
    earlierMigrations = await migrationSubset((migration) => migration < PARTITIONING);
    await applyMigrations(database.url, earlierMigrations.dir);
    await db.connect();
  });

  afterAll(async () => {
    await db.end();
    await pool.end();
    await database.drop();
    await earlierMigrations?.remove();
  });

  it('moves existing telemetry into day partitions: every row kept, column for column, inspections apart', async () => {
    const centerId = randomUUID();
    const ownerId = randomUUID();
    await db.query(`INSERT INTO service_centers (id, name) VALUES ($1, 'Partitioning test')`, [centerId]);
    await db.query(`INSERT INTO users (id, email, "passwordHash", role, name) VALUES ($1, $2, 'x', 'OWNER', 'Owner')`, [
      ownerId,
      `${ownerId}@test.local`,
    ]);
    await db.query(
      `INSERT INTO vehicles (id, "serviceCenterId", "ownerId", vin, make, model, year) VALUES ($1, $2, $3, 'LPARTITION0000001', 'Toyota', 'Corolla', 2020)`,
      [vehicleId, centerId, ownerId],
    );
    // 3 days of 1 Hz driving (an hour each) and one sample from before retention, with tyres on every 60th.
    for (const [index, age] of [40, 2, 0.01].entries()) {
      await db.query(
        `INSERT INTO telemetry_samples ("vehicleId", seq, ts, "odometerKm", "speedKph", "coolantTempC", "fuelRateEstimated", dtcs)
         SELECT $1, $2 + g, $3::timestamptz - (g || ' seconds')::interval, 40000 + g * 0.01, 50 + g % 30, 90, g % 2 = 0,
                CASE WHEN g % 500 = 0 THEN ARRAY['P0217'] ELSE ARRAY[]::text[] END
           FROM generate_series(1, 3600) AS g`,
        [vehicleId, index * 10_000, daysAgo(age)],
      );
    }
    await db.query(`INSERT INTO telemetry_samples ("vehicleId", seq, ts, "coolantTempC") VALUES ($1, 99999, $2, 91)`, [vehicleId, daysAgo(500)]);
    await db.query(
      `INSERT INTO tire_readings ("vehicleId", position, ts, source, "sampleSeq", "odometerKm", "pressureKpa")
       SELECT "vehicleId", p::"TirePosition", ts, 'DEVICE', seq, "odometerKm", 230 FROM telemetry_samples, unnest(ARRAY['FL','FR','RL','RR']) AS p
        WHERE seq % 60 = 0`,
    );
    await db.query(
      `INSERT INTO tire_readings ("vehicleId", position, ts, source, "inspectionId", "odometerKm", "treadMm")
       SELECT $1, p::"TirePosition", $2, 'INSPECTION', $3, 30000, 7.5 FROM unnest(ARRAY['FL','FR','RL','RR']) AS p`,
      [vehicleId, daysAgo(700), randomUUID()],
    );
    // The batch writer on the layout before the migration (no tire_readings_device yet): it stores, and the same
    // writer goes on storing once the tables are partitioned (the tests below use it).
    const onOldLayout = await writer.write(
      [{ vehicleId, sample: { seq: 888_888, ts: daysAgo(2), coolantTempC: 90, tires: { FL: { pressureKpa: 230 } } } }],
      [],
    );
    expect(onOldLayout).toMatchObject({ stored: 1, duplicates: 0 });
    const before = await fingerprint(db);

    const migrated = await applyMigrations(database.url, join(projectRoot, 'prisma/migrations'));

    const after = await fingerprint(db);
    const kinds = await db.query<{ relname: string; relkind: string }>(
      `SELECT relname, relkind FROM pg_class WHERE relname IN ('telemetry_samples', 'tire_readings', 'tire_readings_device', 'telemetry_samples_unpartitioned', 'tire_readings_unpartitioned') ORDER BY 1`,
    );
    const samplePartitions = await partitionsOf(db, 'telemetry_samples');
    const devicePartitions = await partitionsOf(db, 'tire_readings_device');
    const inDefault = await db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM telemetry_samples_default) + (SELECT count(*) FROM tire_readings_device_default) AS n`,
    );
    const inspections = await db.query<{ n: string }>(`SELECT count(*) AS n FROM tire_readings_inspection`);
    console.log(
      `partitioning migration: ${before.samples} samples / ${before.tires} tyre readings before, ${after.samples} / ${after.tires} after; ` +
        `${samplePartitions.length} sample partitions, ${devicePartitions.length} device tyre partitions`,
    );

    // The partitioning migration first, then whatever came after it (the tests below run on today's schema).
    const fromPartitioning = (await readdir(join(projectRoot, 'prisma/migrations'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && entry.name >= PARTITIONING)
      .map((entry) => entry.name)
      .sort();
    expect(fromPartitioning[0]).toBe(PARTITIONING);
    expect(migrated.applied).toEqual(fromPartitioning);
    expect(before.samples).toBe(3 * 3600 + 1 + 1);
    expect(after).toEqual(before);
    expect(kinds.rows).toEqual([
      { relname: 'telemetry_samples', relkind: 'p' },
      { relname: 'tire_readings', relkind: 'p' },
      { relname: 'tire_readings_device', relkind: 'p' },
    ]);
    expect(inDefault.rows[0].n).toBe('0');
    expect(inspections.rows[0].n).toBe('4');
    for (const age of [500, 40, 2, 0.01]) expect(samplePartitions).toContain(dayName('telemetry_samples', daysAgo(age)));
    for (let ahead = 0; ahead <= 7; ahead += 1) {
      expect(samplePartitions).toContain(dayName('telemetry_samples', new Date(now.getTime() + ahead * DAY_MS)));
      expect(devicePartitions).toContain(dayName('tire_readings_device', new Date(now.getTime() + ahead * DAY_MS)));
    }
    expect(samplePartitions).toContain('telemetry_samples_default');
  });

  it('still stores a resent sample once: same ts, or a ts corrected differently by a restarted ingestion', async () => {
    const stored = await db.query<{ seq: string; ts: Date }>(`SELECT seq, ts FROM telemetry_samples WHERE "vehicleId" = $1 AND seq = 10001`, [
      vehicleId,
    ]);
    const original = stored.rows[0];
    const tires = { FL: { pressureKpa: 229 }, FR: { pressureKpa: 231 } };
    const sample = (ts: Date, seq = Number(original.seq)): VehicleSample => ({ vehicleId, sample: { seq, ts, coolantTempC: 90, tires } });
    const count = async (): Promise<{ samples: number; tires: number }> => {
      const rows = await db.query<{ samples: string; tires: string }>(
        `SELECT (SELECT count(*) FROM telemetry_samples WHERE "vehicleId" = $1) AS samples,
                (SELECT count(*) FROM tire_readings WHERE "vehicleId" = $1) AS tires`,
        [vehicleId],
      );
      return { samples: Number(rows.rows[0].samples), tires: Number(rows.rows[0].tires) };
    };
    const first = await writer.write([sample(new Date(original.ts.getTime() + 1))], []);
    const afterFirst = await count();

    const exact = await writer.write([sample(new Date(original.ts.getTime() + 1))], []);
    const corrected = await writer.write([sample(new Date(original.ts.getTime() + 1 + 3 * 60_000))], []);
    const twiceInOneBatch = await writer.write([sample(new Date(original.ts.getTime() + 1)), sample(new Date(original.ts.getTime() + 90_000))], []);
    const afterResends = await count();

    // seq 10001 was stored by the migration's fixture at that ts: the first write is itself a resend, 1 ms off.
    expect(first).toMatchObject({ stored: 0, duplicates: 1 });
    expect(exact).toMatchObject({ stored: 0, duplicates: 1 });
    expect(corrected).toMatchObject({ stored: 0, duplicates: 1 });
    expect(twiceInOneBatch).toMatchObject({ stored: 0, duplicates: 2 });
    expect(afterResends).toEqual(afterFirst);

    const fresh = await writer.write([sample(now, 777_777)], []);
    const secondTime = await writer.write([sample(now, 777_777)], []);
    expect(fresh).toMatchObject({ stored: 1, duplicates: 0 });
    expect(secondTime).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await count()).toEqual({ samples: afterFirst.samples + 1, tires: afterFirst.tires + 2 });
  });

  it('stores a sample whose day has no partition in the default partition, and the next maintenance gives it its day', async () => {
    const late = daysAgo(200);
    const early = new Date(now.getTime() + 30 * DAY_MS);
    expect(await partitionsOf(db, 'telemetry_samples')).not.toContain(dayName('telemetry_samples', late));

    const result = await writer.write(
      [
        { vehicleId, sample: { seq: 500_001, ts: late, coolantTempC: 88, tires: { RL: { treadMm: 6.1 } } } },
        { vehicleId, sample: { seq: 500_002, ts: early, coolantTempC: 88 } },
        { vehicleId, sample: { seq: 500_003, ts: now, coolantTempC: 88 } },
      ],
      [],
    );
    const defaults = await db.query<{ samples: string; tires: string }>(
      `SELECT (SELECT count(*) FROM telemetry_samples_default) AS samples, (SELECT count(*) FROM tire_readings_device_default) AS tires`,
    );
    const resend = await writer.write([{ vehicleId, sample: { seq: 500_001, ts: late, coolantTempC: 88 } }], []);
    const today = now.toISOString().slice(0, 10);
    const created = await db.query<{ samples: number; tires: number }>(
      `SELECT telemetry_partitions_ensure('telemetry_samples', $1::date, 7) AS samples, telemetry_partitions_ensure('tire_readings_device', $1::date, 7) AS tires`,
      [today],
    );
    const defaultsAfter = await db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM telemetry_samples_default) + (SELECT count(*) FROM tire_readings_device_default) AS n`,
    );
    const stillThere = await db.query<{ seq: string; partition: string }>(
      `SELECT seq::text, tableoid::regclass::text AS partition FROM telemetry_samples WHERE "vehicleId" = $1 AND seq IN (500001, 500002) ORDER BY seq`,
      [vehicleId],
    );

    expect(result).toMatchObject({ stored: 3, duplicates: 0 });
    expect(defaults.rows[0]).toEqual({ samples: '2', tires: '1' });
    expect(resend).toMatchObject({ stored: 0, duplicates: 1 });
    expect(created.rows[0]).toEqual({ samples: 2, tires: 1 });
    expect(defaultsAfter.rows[0].n).toBe('0');
    expect(stillThere.rows).toEqual([
      { seq: '500001', partition: dayName('telemetry_samples', late) },
      { seq: '500002', partition: dayName('telemetry_samples', early) },
    ]);
  });
});
