// npm run bench:plans [-- --days 60 --vehicles 100 --samples-per-day 360]
// EXPLAIN (ANALYZE, BUFFERS) of the real telemetry reads and of the batch writer's resend check, on a database
// holding `--days` days of telemetry in day partitions (filled once, kept for the next run). Each read runs as
// the app runs it (the API's repositories, the worker's history loader, the ingestion writer); the statements
// are recorded at the driver and EXPLAINed with the same bind values (the writer's inside a rolled-back
// transaction). Per statement: the partitions in the plan, those actually executed, planning and execution time,
// shared buffers hit and read. A measurement, not a test: times depend on the machine and its load.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import pg from 'pg';
import { loadApiConfig } from '#app/config';
import { applyMigrations, DatabasePool, PrismaService, TelemetryBatchWriter, type VehicleSample } from '#app/database';
import { ChartsRepository } from '../../apps/api/src/charts/charts.repository.js';
import type { VehicleInScope } from '../../apps/api/src/common/vehicle-scope.model.js';
import { TelemetryRepository } from '../../apps/api/src/telemetry/telemetry.repository.js';
import { VehicleRepository } from '../../apps/api/src/vehicles/vehicle.repository.js';
import { VehicleHistoryLoader } from '../../apps/worker/src/scoring/vehicle-history.loader.js';
import { createFleet, FLEET_VEHICLE_PROFILE } from '../support/fixtures.js';
import { projectRoot } from '../support/project-root.js';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '60' },
    vehicles: { type: 'string', default: '100' },
    /** One sample every 10 s while driving: 360 is an hour's drive a day. */
    'samples-per-day': { type: 'string', default: '360' },
  },
});
const days = Number(args.days);
const vehicleCount = Number(args.vehicles);
const samplesPerDay = Number(args['samples-per-day']);
const DAY_MS = 86_400_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Loops'?: number;
  'Subplans Removed'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}
interface ExplainRoot {
  Plan: PlanNode;
  'Planning Time': number;
  'Execution Time': number;
}
interface Recorded {
  text: string;
  values: unknown[];
}

const walk = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walk)];

const config = loadApiConfig();
await applyMigrations(config.databaseUrl, join(projectRoot, 'prisma/migrations'));
const prisma = new PrismaService(config);
const explainer = new pg.Client({ connectionString: config.databaseUrl });
await explainer.connect();

// Partitions for the whole window read (device tyres: 120 days), as the migration and the sweep keep them.
await explainer.query(
  `SELECT telemetry_partition_create(t, d::date)
     FROM unnest(ARRAY['telemetry_samples', 'tire_readings_device']) AS t,
          generate_series((now() AT TIME ZONE 'UTC')::date - $1::int, (now() AT TIME ZONE 'UTC')::date + 7, interval '1 day') AS d`,
  [Math.max(days, 130)],
);
const existing = await explainer.query<{ vin: string; scope: string }>(
  `SELECT v.vin, v."serviceCenterId" AS scope FROM vehicles v WHERE v.make = 'PlansBench' ORDER BY v.vin LIMIT 1`,
);
let probe = existing.rows[0];
if (probe === undefined) {
  const started = performance.now();
  const fleet = await createFleet(prisma, vehicleCount);
  const ids = fleet.vehicles.map((vehicle) => vehicle.id);
  await explainer.query(`UPDATE vehicles SET make = 'PlansBench' WHERE id = ANY($1::uuid[])`, [ids]);
  // Day by day: one short statement each, 07:00 UTC onwards every 10 s; a tyre reading per wheel every 5 minutes.
  for (let day = days; day >= 0; day -= 1) {
    await explainer.query(
      `INSERT INTO telemetry_samples ("vehicleId", seq, ts, "odometerKm", "speedKph", rpm, "coolantTempC", "batteryV", "fuelRateLph")
       SELECT v, $2::int * 100000 + s, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - $2::int * interval '1 day'
                + interval '7 hours' + s * interval '10 seconds',
              40000 + ($4::int - $2::int) * 50 + s * 0.14, 50 + (s % 40), 2000 + (s % 700), 70 + least(s, 120) * 0.2, 14.1, 4.2
         FROM unnest($1::uuid[]) AS v, generate_series(0, $3::int - 1) AS s`,
      [ids, day, samplesPerDay, days],
    );
    await explainer.query(
      `INSERT INTO tire_readings ("vehicleId", "sampleSeq", position, ts, source, "treadMm", "pressureKpa")
       SELECT v, $2::int * 100000 + s, p::"TirePosition", date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                - $2::int * interval '1 day' + interval '7 hours' + s * interval '10 seconds', 'DEVICE', 7.5, 230
         FROM unnest($1::uuid[]) AS v, generate_series(0, $3::int - 1, 30) AS s, unnest(ARRAY['FL', 'FR', 'RL', 'RR']) AS p`,
      [ids, day, samplesPerDay],
    );
  }
  await explainer.query('ANALYZE telemetry_samples');
  await explainer.query('ANALYZE tire_readings');
  console.log(`filled ${days + 1} days for ${vehicleCount} vehicles in ${Math.round((performance.now() - started) / 1000)} s`);
  probe = { vin: fleet.vehicles[0]?.vin ?? '', scope: fleet.serviceCenterId };
}
const counts = await explainer.query<{ samples: string; tires: string; partitions: string }>(
  `SELECT (SELECT count(*) FROM telemetry_samples) AS samples, (SELECT count(*) FROM tire_readings) AS tires,
          (SELECT count(*) FROM pg_inherits WHERE inhparent = 'telemetry_samples'::regclass) AS partitions`,
);
console.log(
  `telemetry plans: ${counts.rows[0]?.samples ?? '?'} samples, ${counts.rows[0]?.tires ?? '?'} tyre readings, ` +
    `${counts.rows[0]?.partitions ?? '?'} partitions of telemetry_samples (default included)`,
);
const found = await new VehicleRepository(prisma).findInScope({ kind: 'center', serviceCenterId: probe.scope }, probe.vin);
if (found === null) throw new Error(`bench vehicle ${probe.vin} not found`);
const vehicle: VehicleInScope = found;

// A tap on the driver: Prisma's adapter and the writer both end in pg.Client#query.
const recorded: Recorded[] = [];
let recording = false;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function recordingQuery(this: pg.Client, ...callArgs: unknown[]): unknown {
  const [first, second] = callArgs;
  if (recording) {
    if (typeof first === 'string') recorded.push({ text: first, values: Array.isArray(second) ? (second as unknown[]) : [] });
    else if (typeof first === 'object' && first !== null && 'text' in first && typeof first.text === 'string') {
      const own = 'values' in first && Array.isArray(first.values) ? (first.values as unknown[]) : undefined;
      recorded.push({ text: first.text, values: own ?? (Array.isArray(second) ? (second as unknown[]) : []) });
    }
  }
  return Reflect.apply(originalQuery, this, callArgs);
} as typeof originalQuery;

async function telemetryStatements(run: () => Promise<unknown>): Promise<Recorded[]> {
  recorded.length = 0;
  recording = true;
  try {
    await run();
  } finally {
    recording = false;
  }
  return recorded.filter((query) => /telemetry_samples|tire_readings/.test(query.text));
}

async function explain(label: string, statement: Recorded): Promise<void> {
  await explainer.query('BEGIN');
  try {
    const result = await explainer.query<{ 'QUERY PLAN': ExplainRoot[] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
      statement.values,
    );
    const root = result.rows[0]?.['QUERY PLAN'][0];
    if (root === undefined) throw new Error(`no plan for ${label}`);
    const scans = walk(root.Plan).filter(
      (node) => node['Relation Name'] !== undefined && /^(telemetry_samples|tire_readings)/.test(node['Relation Name']),
    );
    const executed = scans.filter((node) => (node['Actual Loops'] ?? 0) > 0);
    const names = [...new Set(executed.map((node) => node['Relation Name'] ?? ''))].sort();
    const removed = walk(root.Plan).reduce((sum, node) => sum + (node['Subplans Removed'] ?? 0), 0);
    console.log(
      `${label.padEnd(44)} partitions in plan ${String(new Set(scans.map((node) => node['Relation Name'])).size).padStart(3)}, executed ` +
        `${String(names.length).padStart(3)} (${names[0] ?? '-'} .. ${names.at(-1) ?? '-'}), removed at run time ${removed}; ` +
        `planning ${root['Planning Time'].toFixed(1)} ms, execution ${root['Execution Time'].toFixed(1)} ms; ` +
        `buffers hit ${root.Plan['Shared Hit Blocks'] ?? 0}, read ${root.Plan['Shared Read Blocks'] ?? 0}; ` +
        `scans: ${[...new Set(executed.map((node) => node['Node Type']))].join(', ')}`,
    );
  } finally {
    await explainer.query('ROLLBACK');
  }
}

async function report(label: string, run: () => Promise<unknown>): Promise<void> {
  const statements = await telemetryStatements(run);
  for (const [index, statement] of statements.entries()) await explain(statements.length > 1 ? `${label} #${index + 1}` : label, statement);
}

const now = new Date();
const daysAgo = (n: number): Date => new Date(now.getTime() - n * DAY_MS);
const telemetry = new TelemetryRepository(prisma);
const charts = new ChartsRepository(prisma);
const loader = new VehicleHistoryLoader(prisma);
const rules = { minMovingKph: 5, warmAfterMinutes: 10, driveGapMinutes: 10, overheatC: 105 };

await report('API samples, last day (Prisma findMany)', () => telemetry.samples(vehicle, { from: daysAgo(1), to: now, limit: 500 }));
await report('API buckets, last 7 days, 1h', () => telemetry.buckets(vehicle, { from: daysAgo(7), to: now, limit: 500 }, '1h'));
await report('chart coolant days, 30 days', () => charts.coolantDays(vehicle, { from: daysAgo(30), to: now }, rules));
await report('chart tread, 30 days', () => charts.treadReadings(vehicle, { from: daysAgo(30), to: now }));
await report('chart pressure, 30 days, 6h', () => charts.pressure(vehicle, { from: daysAgo(30), to: now }, 6));
await report('history loader, full window', () => loader.load(vehicle.id, FLEET_VEHICLE_PROFILE, now));
await report('history loader, incremental (after 1 day ago)', () =>
  loader.scoringInput(vehicle.id, FLEET_VEHICLE_PROFILE, now, daysAgo(1), daysAgo(1)),
);

// The resend check: 500 samples of yesterday sent again, their ts corrected 2 minutes off (the probe finds each),
// then the same statement with new seqs (the probe finds none and the rows are inserted; rolled back).
const stored = await explainer.query<{ seq: string; ts: Date }>(
  `SELECT seq, ts FROM telemetry_samples WHERE "vehicleId" = $1 AND ts >= $2 ORDER BY ts LIMIT 500`,
  [vehicle.id, daysAgo(2)],
);
const pool = new DatabasePool(config.databaseUrl, 2, () => undefined);
const writer = new TelemetryBatchWriter(pool);
const resend: VehicleSample[] = stored.rows.map((row) => ({
  vehicleId: vehicle.id,
  sample: { seq: Number(row.seq), ts: new Date(row.ts.getTime() + 120_000), coolantTempC: 90, speedKph: 50 },
}));
const [writeStatement] = await telemetryStatements(() => writer.write(resend, []));
if (writeStatement === undefined) throw new Error('the writer sent no telemetry statement');
await explain(`writer, resend of ${resend.length} (ts +2 min)`, writeStatement);
const fresh = [...writeStatement.values];
fresh[1] = (fresh[1] as number[]).map((seq) => seq + 90_000_000);
await explain(`writer, ${resend.length} new samples`, { text: writeStatement.text, values: fresh });

pg.Client.prototype.query = originalQuery;
await pool.end();
await explainer.end();
await prisma.$disconnect();
