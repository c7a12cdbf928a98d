// npm run bench:ingest [-- --vehicles 1000 --seconds 15 --publishers 4 --window 2500 --rate 10000]
// npm run bench:ingest -- --compare-layouts [--rounds 2 --partition-days 60]: the saturated pipeline on telemetry
// partitioned by day (all migrations, plus day partitions for the last N days as in production) and on the plain
// tables (a second database, every migration but the partitioning one), alternated round by round in one run
// (baseline, partitioned, plain; again), medians side by side.
// Publishes from M simulated vehicles for T seconds per phase to a bare COPY subscriber (the ceiling) and to
// the real ingestion app, twice each: as fast as the broker acknowledges (throughput: what each can store)
// and at a steady offered rate (latency: publish to stored, without a backlog). The last line is one JSON
// object: throughput and lost/duplicated from the saturated runs, p50/p99 from the steady-rate run.
// A benchmark, not a test: figures depend on the machine and on what else runs on it.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { applyMigrations } from '#app/database';
import { QueueName } from '#app/queue';
import { measureStored, type PhaseResult } from './ingest/stored-telemetry.js';
import { publishTelemetry } from './ingest/telemetry-load.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { migrationSubset } from '../support/migration-subset.js';
import { discardSession } from '../support/telemetry-publisher.js';
import { projectRoot } from '../support/test-env.js';

const { values } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '15' },
    publishers: { type: 'string', default: '4' },
    window: { type: 'string', default: '2500' },
    /** Offered load of the steady-rate phases, messages/s over all publishers. */
    rate: { type: 'string', default: '10000' },
    'compare-layouts': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '2' },
    /** Day partitions before today in the partitioned database (production keeps TELEMETRY_RETENTION_DAYS of them). */
    'partition-days': { type: 'string', default: '60' },
  },
});
const vehicleCount = Number(values.vehicles);
const seconds = Number(values.seconds);
const publisherCount = Number(values.publishers);
const windowPerPublisher = Number(values.window);
const steadyRate = Number(values.rate);
const databaseUrl = process.env.DATABASE_URL!;
const mqttUrl = process.env.MQTT_URL!;
const redisUrl = process.env.REDIS_URL!;
const vinOf = (i: number): string => `LBENCH${String(i + 1).padStart(11, '0')}`;

/** `publisherCount` connections, publisher i sending for vehicles i, i + publisherCount, ... in turn. */
async function publishFor(durationMs: number, rate: number): Promise<number> {
  const clients: MqttClient[] = await Promise.all(
    Array.from({ length: publisherCount }, (_, index) =>
      mqtt.connectAsync(mqttUrl, { clientId: `bench-device-${index}`, clean: true, protocolVersion: 4 }),
    ),
  );
  const channels = clients.map((client, index) => ({
    client,
    vins: Array.from({ length: Math.ceil((vehicleCount - index) / publisherCount) }, (_, k) => vinOf(index + k * publisherCount)),
  }));
  const published = await publishTelemetry(channels, { durationMs, rate, window: windowPerPublisher, seqs: new Map() });
  await Promise.all(clients.map((client) => client.endAsync()));
  return published;
}

async function prepare(pool: pg.Pool, url = databaseUrl, migrations = join(projectRoot, 'prisma/migrations')): Promise<void> {
  await applyMigrations(url, migrations);
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline_samples (
    vin text NOT NULL, seq bigint NOT NULL, ts timestamptz(3) NOT NULL,
    received_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(), payload text NOT NULL)`);
  await pool.query(`INSERT INTO service_centers (id, name) VALUES ('00000000-0000-0000-0000-00000000b001', 'Bench center')
                    ON CONFLICT DO NOTHING`);
  await pool.query(`INSERT INTO users (id, email, "passwordHash", role, name)
                    VALUES ('00000000-0000-0000-0000-00000000b002', 'bench@bench.local', '-', 'OWNER', 'Bench') ON CONFLICT DO NOTHING`);
  await pool.query(
    `INSERT INTO vehicles (id, vin, make, model, year, "serviceCenterId", "ownerId")
     SELECT gen_random_uuid(), v, 'Bench', 'Car', 2024, '00000000-0000-0000-0000-00000000b001', '00000000-0000-0000-0000-00000000b002'
     FROM unnest($1::text[]) AS v ON CONFLICT (vin) DO NOTHING`,
    [Array.from({ length: vehicleCount }, (_, i) => vinOf(i))],
  );
}

async function runBaseline(pool: pg.Pool, rate: number): Promise<PhaseResult> {
  await pool.query('TRUNCATE bench_baseline_samples');
  const child: ChildProcess = spawn(
    process.execPath,
    [join(projectRoot, 'dist/test/bench/baseline-subscriber.js'), databaseUrl, mqttUrl, `bench-baseline-${Date.now()}`],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  const published = await publishFor(seconds * 1000, rate);
  const result = await measureStored(pool, 'bench_baseline_samples', published, 60_000);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  return result;
}

/**
 * `plain`: one replica as `npm start` and compose run it (one connection, a plain subscription, which the broker
 * keeps across its restarts). `shared`: a replica of a group (`$share/...`, INGEST_CONNECTIONS connections).
 */
async function runPipeline(pool: pg.Pool, rate: number, subscription: 'plain' | 'shared', url = databaseUrl): Promise<PhaseResult> {
  await pool.query('TRUNCATE telemetry_samples, rejected_messages');
  const group = `bench-${Date.now()}`;
  const ingestion = new IngestionProcess({
    DATABASE_URL: url,
    MQTT_SHARE_GROUP: subscription === 'shared' ? group : '',
    INGEST_CLIENT_ID: `ingest-${group}`,
    QUEUE_PREFIX: 'bench',
    LOG_LEVEL: 'warn',
  });
  await ingestion.start();
  try {
    const published = await publishFor(seconds * 1000, rate);
    return await measureStored(pool, 'telemetry_samples', published, 120_000);
  } finally {
    await ingestion.stop('SIGTERM');
    for (const index of [0, 1, 2, 3]) await discardSession(mqttUrl, `ingest-${group}-${index}`);
  }
}

const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
// An idle connection the server ends (another checkout's test terminating backends on a shared server) is
// replaced at the next query, not an unhandled 'error' that ends the run.
const noteIdleError = (error: Error): void => console.warn(`bench pool: idle connection lost (${error.message})`);
pool.on('error', noteIdleError);
if (values['compare-layouts']) {
  await compareLayouts(pool);
  process.exit(0);
}
await prepare(pool);
console.log(`ingest bench: ${vehicleCount} vehicles, ${seconds} s per phase, ${publisherCount} publishers x ${windowPerPublisher} in flight`);
const baselineMax = await runBaseline(pool, 0);
console.log(`baseline, saturated   (bare COPY subscriber):            ${JSON.stringify(baselineMax)}`);
const oursMax = await runPipeline(pool, 0, 'plain');
console.log(`pipeline, saturated   (validate, dedupe, ack after commit; one replica, plain subscription, the default): ${JSON.stringify(oursMax)}`);
const sharedMax = await runPipeline(pool, 0, 'shared');
console.log(`pipeline, saturated   (the same as a replica of a $share group, 2 connections): ${JSON.stringify(sharedMax)}`);
const baselineSteady = await runBaseline(pool, steadyRate);
console.log(`baseline at ${steadyRate}/s: ${JSON.stringify(baselineSteady)}`);
const oursSteady = await runPipeline(pool, steadyRate, 'plain');
console.log(`pipeline at ${steadyRate}/s: ${JSON.stringify(oursSteady)}`);
console.log(
  `pipeline / baseline throughput: ${(oursMax.messagesPerSec / baselineMax.messagesPerSec).toFixed(2)}; ` +
    `at ${steadyRate}/s the pipeline stored ${oursSteady.messagesPerSec}/s, p50 ${oursSteady.p50Ms} ms, p99 ${oursSteady.p99Ms} ms ` +
    `(baseline p50 ${baselineSteady.p50Ms} ms, p99 ${baselineSteady.p99Ms} ms)`,
);

await clearScoringQueue();
await pool.end();
console.log(
  JSON.stringify({
    messagesPerSec: oursMax.messagesPerSec,
    p50Ms: oursSteady.p50Ms,
    p99Ms: oursSteady.p99Ms,
    lost: oursMax.published - oursMax.distinct + (sharedMax.published - sharedMax.distinct) + (oursSteady.published - oursSteady.distinct),
    duplicated: oursMax.stored - oursMax.distinct + (sharedMax.stored - sharedMax.distinct) + (oursSteady.stored - oursSteady.distinct),
    baselineMessagesPerSec: baselineMax.messagesPerSec,
    sharedMessagesPerSec: sharedMax.messagesPerSec,
  }),
);

// Declarations, not consts: compareLayouts runs from the top of the script, before this point is evaluated.
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The saturated pipeline on both table layouts, alternated (A B A B) so a neighbour's load falls on both, with a
 * baseline each round. The plain database is created afresh each run; both get the same bench vehicles.
 */
async function compareLayouts(partitionedPool: pg.Pool): Promise<void> {
  const rounds = Number(values.rounds);
  const partitionDays = Number(values['partition-days']);
  const plainName = `${new URL(databaseUrl).pathname.slice(1)}_plain`;
  const plainUrl = Object.assign(new URL(databaseUrl), { pathname: `/${plainName}` }).toString();
  const admin = new pg.Client({ connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${plainName}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${plainName}"`);
  await admin.end();
  const withoutPartitioning = await migrationSubset((name) => !name.endsWith('_partition_telemetry_by_day'));
  const plainPool = new pg.Pool({ connectionString: plainUrl, max: 2 });
  plainPool.on('error', noteIdleError);
  try {
    await prepare(partitionedPool);
    await prepare(plainPool, plainUrl, withoutPartitioning.dir);
    await partitionedPool.query(
      `SELECT telemetry_partition_create(t, d::date)
         FROM unnest(ARRAY['telemetry_samples', 'tire_readings_device']) AS t,
              generate_series((now() AT TIME ZONE 'UTC')::date - $1::int, (now() AT TIME ZONE 'UTC')::date, interval '1 day') AS d`,
      [partitionDays],
    );
    const partitions = await partitionedPool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'telemetry_samples'::regclass`,
    );
    console.log(
      `ingest bench, layouts: ${vehicleCount} vehicles, ${seconds} s per phase, ${publisherCount} publishers x ${windowPerPublisher} in flight, ` +
        `${rounds} rounds; partitioned: ${partitions.rows[0]?.n ?? '?'} partitions of telemetry_samples (default included)`,
    );
    const results = { baseline: [] as PhaseResult[], partitioned: [] as PhaseResult[], plain: [] as PhaseResult[] };
    for (let round = 1; round <= rounds; round += 1) {
      results.baseline.push(await runBaseline(partitionedPool, 0));
      results.partitioned.push(await runPipeline(partitionedPool, 0, 'plain'));
      results.plain.push(await runPipeline(plainPool, 0, 'plain', plainUrl));
      const [b, a, p] = [results.baseline, results.partitioned, results.plain].map((list) => list.at(-1)?.messagesPerSec ?? 0);
      console.log(`round ${round}: baseline ${b} msg/s, partitioned ${a} msg/s, plain ${p} msg/s`);
    }
    const perSec = (list: readonly PhaseResult[]): number => Math.round(median(list.map((r) => r.messagesPerSec)));
    const wrong = (list: readonly PhaseResult[]): { lost: number; duplicated: number } => ({
      lost: list.reduce((sum, r) => sum + r.published - r.distinct, 0),
      duplicated: list.reduce((sum, r) => sum + r.stored - r.distinct, 0),
    });
    const summary = {
      baselineMessagesPerSec: perSec(results.baseline),
      partitionedMessagesPerSec: perSec(results.partitioned),
      plainMessagesPerSec: perSec(results.plain),
      partitionedOverPlain: Number((perSec(results.partitioned) / perSec(results.plain)).toFixed(2)),
      // Per round, then the median: the pair shares the round's load, so this is the steadier figure on a busy machine.
      partitionedOverPlainPerRound: Number(
        median(results.partitioned.map((r, i) => r.messagesPerSec / (results.plain[i]?.messagesPerSec ?? Number.NaN))).toFixed(2),
      ),
      partitioned: wrong(results.partitioned),
      plain: wrong(results.plain),
      rounds,
      partitionDays,
    };
    console.log('medians         msg/s   / baseline');
    for (const layout of ['baseline', 'partitioned', 'plain'] as const) {
      const value = perSec(results[layout]);
      console.log(`${layout.padEnd(12)} ${String(value).padStart(8)}   ${(value / summary.baselineMessagesPerSec).toFixed(2)}`);
    }
    console.log(
      `partitioned / plain: ${summary.partitionedOverPlain} (medians); ${summary.partitionedOverPlainPerRound} (median of the rounds' ratios)`,
    );
    console.log(JSON.stringify(summary));
  } finally {
    await plainPool.end();
    await withoutPartitioning.remove();
    await clearScoringQueue();
    await partitionedPool.end();
  }
}

/** The scoring jobs the bench's ingestion queued (prefix `bench`): removed, so no worker scores bench cars later. */
async function clearScoringQueue(): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(QueueName.Scoring, { connection: redis, prefix: 'bench' });
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
}
