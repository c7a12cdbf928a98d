import pg from 'pg';
import { loadApiConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { READ_BEFORE_HORIZON_MS, summaryHorizonMs, tireReadingHorizonMs } from '#app/maintenance';
import { ChartsRepository } from '../../apps/api/src/charts/charts.repository.js';
import type { VehicleInScope } from '../../apps/api/src/common/vehicle-scope.model.js';
import { TelemetryRepository } from '../../apps/api/src/telemetry/telemetry.repository.js';
import { VehicleRepository } from '../../apps/api/src/vehicles/vehicle.repository.js';
import { HISTORY_WINDOWS, VehicleHistoryLoader } from '../../apps/worker/src/scoring/vehicle-history.loader.js';
import { createFleet, FLEET_VEHICLE_PROFILE } from '../support/fixtures.js';
import { testEnv } from '../support/test-env.js';

const DAY_MS = 86_400_000;

interface RecordedQuery {
  text: string;
  values: unknown[];
}

interface PlanNode {
  'Relation Name'?: string;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

/** Per partition scanned, how many times it was executed (EXPLAIN ANALYZE; 0: planned, pruned at run time each time). */
function loopsOf(node: PlanNode, loops = new Map<string, number>()): Map<string, number> {
  const relation = node['Relation Name'];
  if (relation !== undefined) loops.set(relation, (loops.get(relation) ?? 0) + (node['Actual Loops'] ?? 0));
  for (const child of node.Plans ?? []) loopsOf(child, loops);
  return loops;
}

function relationsOf(node: PlanNode): string[] {
  return [...(node['Relation Name'] === undefined ? [] : [node['Relation Name']]), ...(node.Plans ?? []).flatMap(relationsOf)];
}

/** The day partitions a window [from, to] touches, by name. */
function daysOf(parent: string, from: Date, to: Date): string[] {
  const names: string[] = [];
  for (let day = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); day <= to.getTime(); day += DAY_MS) {
    names.push(`${parent}_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`);
  }
  return names;
}

/**
 * The real queries of the history loader and of the API's telemetry and chart reads, recorded as the driver sends
 * them (text and bind values) and EXPLAINed with the same values: each reads only the day partitions of its window,
 * never the default partition nor the rest of the 400 days. Pruning is at plan time (the driver's unnamed statements
 * get custom plans), so EXPLAIN shows exactly what runs.
 */
describe('partition pruning of telemetry reads', () => {
  const config = loadApiConfig();
  const prisma = new PrismaService(config);
  const explainer = new pg.Client({ connectionString: testEnv.databaseUrl });
  const recorded: RecordedQuery[] = [];
  const originalQuery = pg.Pool.prototype.query;
  const now = new Date();
  const daysAgo = (days: number): Date => new Date(now.getTime() - days * DAY_MS);
  let vehicle: VehicleInScope;

  beforeAll(async () => {
    await explainer.connect();
    // Every day of the longest window read (device tyres, 120 days) has its partition, as in production.
    await explainer.query(
      `SELECT telemetry_partition_create(t, d::date)
         FROM unnest(ARRAY['telemetry_samples', 'tire_readings_device']) AS t,
              generate_series($1::timestamptz, $2::timestamptz, interval '1 day') AS d`,
      [
        daysAgo(HISTORY_WINDOWS.deviceTireDays + 10)
          .toISOString()
          .slice(0, 10),
        now.toISOString().slice(0, 10),
      ],
    );
    const fleet = await createFleet(prisma, 1);
    const found = await new VehicleRepository(prisma).findInScope({ kind: 'center', serviceCenterId: fleet.serviceCenterId }, fleet.vehicles[0]!.vin);
    vehicle = found!;
    await prisma.telemetrySample.createMany({
      data: Array.from({ length: 200 }, (_, i) => ({
        vehicleId: vehicle.id,
        seq: BigInt(i + 1),
        ts: daysAgo(i / 10),
        coolantTempC: 90,
        speedKph: 50,
      })),
    });
    // A test-only tap on the driver: Prisma's adapter sends every statement through pg.Pool#query (a config
    // object), and the scoring reads go to the same pool directly (text and values).
    pg.Pool.prototype.query = function recordingQuery(this: pg.Pool, ...args: unknown[]): unknown {
      const [config, values] = args;
      const text = typeof config === 'string' ? config : typeof config === 'object' && config !== null && 'text' in config ? config.text : undefined;
      if (typeof text === 'string') recorded.push({ text, values: Array.isArray(values) ? (values as unknown[]) : [] });
      return Reflect.apply(originalQuery, this, args);
    } as typeof originalQuery;
  });

  afterAll(async () => {
    pg.Pool.prototype.query = originalQuery;
    await explainer.end();
    await prisma.$disconnect();
  });

  /** Runs `read`, then EXPLAINs what it sent to the telemetry tables: the partitions of those, per table. */
  async function plannedPartitions(read: () => Promise<unknown>): Promise<string[]> {
    recorded.length = 0;
    await read();
    const telemetryQueries = recorded.filter((query) => /telemetry_samples|tire_readings/.test(query.text));
    expect(telemetryQueries.length).toBeGreaterThan(0);
    const scanned = new Set<string>();
    for (const query of telemetryQueries) {
      const result = await explainer.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${query.text}`, query.values);
      for (const relation of relationsOf(result.rows[0]['QUERY PLAN'][0].Plan)) {
        if (/^(telemetry_samples|tire_readings)/.test(relation)) scanned.add(relation);
      }
    }
    return [...scanned].sort();
  }

  it("the history loader reads its summary horizon of samples (30 days and one) and 120 days of device tyres, and inspections' own table", async () => {
    const loader = new VehicleHistoryLoader(prisma);

    const partitions = await plannedPartitions(() => loader.load(vehicle.id, FLEET_VEHICLE_PROFILE, now));

    const expected = [
      ...daysOf('telemetry_samples', new Date(summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS), now),
      ...daysOf('tire_readings_device', new Date(tireReadingHorizonMs(now)), now),
      'tire_readings_inspection',
    ].sort();
    console.log(`history loader scans ${partitions.length} partitions: ${partitions[0]} .. ${partitions.at(-1)}`);
    expect(partitions).toEqual(expected);
  });

  it("the history loader's incremental read (after the summaries' watermarks) reads only the days since them", async () => {
    const loader = new VehicleHistoryLoader(prisma);
    const watermark = daysAgo(2);
    const tireWatermark = daysAgo(3);

    const partitions = await plannedPartitions(() => loader.scoringInput(vehicle.id, FLEET_VEHICLE_PROFILE, now, watermark, tireWatermark));

    // Reading resumes at the bucket after the watermark's; device tyres from their own watermark.
    const resume = new Date(watermark.getTime() + HISTORY_WINDOWS.telemetryBucketSeconds * 1000);
    expect(partitions).toEqual(
      [...daysOf('telemetry_samples', resume, now), ...daysOf('tire_readings_device', tireWatermark, now), 'tire_readings_inspection'].sort(),
    );
  });

  it("the history loader's batched read (scores running at once) plans its cars' days only, and reads each car's own days", async () => {
    const loader = new VehicleHistoryLoader(prisma, { scoring: { ...config.scoring, batchInFlight: 1 } });
    const sizes: number[] = [];
    loader.observeBatches((size) => sizes.push(size));
    const other = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const pilot = (await createFleet(prisma, 1)).vehicles[0]!.id;
    // The car of the earlier tests from 2 days back, another from 4 days back (tyres from 3 and 5 days back).
    const watermark = daysAgo(2);
    const otherWatermark = daysAgo(4);

    recorded.length = 0;
    const first = loader.scoringInput(pilot, FLEET_VEHICLE_PROFILE, now, watermark, daysAgo(3));
    await Promise.all([
      loader.scoringInput(vehicle.id, FLEET_VEHICLE_PROFILE, now, watermark, daysAgo(3)),
      loader.scoringInput(other, FLEET_VEHICLE_PROFILE, now, otherWatermark, daysAgo(5)),
    ]);
    await first;
    expect(sizes).toEqual([1, 2]);
    const batch = recorded.filter((query) => query.text.includes('jsonb_to_recordset') && query.text.includes('telemetry_samples'));
    expect(batch).toHaveLength(1);
    const result = await explainer.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${batch[0]!.text}`,
      batch[0]!.values,
    );
    const loops = loopsOf(result.rows[0]['QUERY PLAN'][0].Plan);
    const planned = (parent: string) => [...loops.keys()].filter((relation) => relation.startsWith(`${parent}_p`)).sort();
    const bucket = HISTORY_WINDOWS.telemetryBucketSeconds * 1000;
    // Planned: the days from the earliest car's bound on (the batch's plain bounds), nothing else, no default partition.
    expect(planned('telemetry_samples')).toEqual(daysOf('telemetry_samples', new Date(otherWatermark.getTime() + bucket), now));
    expect(planned('tire_readings_device')).toEqual(daysOf('tire_readings_device', daysAgo(5), now));
    expect([...loops.keys()].some((relation) => relation.endsWith('_default'))).toBe(false);
    // Run: the days only the other car reads, once (its scan); the days both read, twice.
    const onlyOther = daysOf('telemetry_samples', new Date(otherWatermark.getTime() + bucket), daysAgo(3))[0]!;
    const today = daysOf('telemetry_samples', now, now)[0]!;
    console.log(`batched history read: ${loops.size} partitions planned; loops ${onlyOther} ${loops.get(onlyOther)}, ${today} ${loops.get(today)}`);
    expect(loops.get(onlyOther)).toBe(1);
    expect(loops.get(today)).toBe(2);
  });

  it("the API's raw samples (Prisma findMany) and buckets read only the window's days", async () => {
    const telemetry = new TelemetryRepository(prisma);
    const lastDay = { from: daysAgo(1), to: now, limit: 500 };
    const lastWeek = { from: daysAgo(7), to: now, limit: 500 };

    expect(await plannedPartitions(() => telemetry.samples(vehicle, lastDay))).toEqual(daysOf('telemetry_samples', lastDay.from, now));
    expect(await plannedPartitions(() => telemetry.buckets(vehicle, lastWeek, '1h'))).toEqual(daysOf('telemetry_samples', lastWeek.from, now));
  });

  it("the vehicle charts' coolant, tread and pressure reads read only the window's days", async () => {
    const charts = new ChartsRepository(prisma);
    const window = { from: daysAgo(14), to: now };
    const rules = { minMovingKph: 5, warmAfterMinutes: 10, driveGapMinutes: 10, overheatC: 105 };

    expect(await plannedPartitions(() => charts.coolantDays(vehicle, window, rules))).toEqual(daysOf('telemetry_samples', window.from, now));
    expect(await plannedPartitions(() => charts.treadReadings(vehicle, window))).toEqual(
      [...daysOf('tire_readings_device', window.from, now), 'tire_readings_inspection'].sort(),
    );
    expect(await plannedPartitions(() => charts.pressure(vehicle, window, 6))).toEqual(daysOf('tire_readings_device', window.from, now));
  });
});
