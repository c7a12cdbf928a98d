// The scoring store's batched statements against real Postgres: scores running at once share their scoringStart
// and save (group commit). Each car's rows come out as if it had been scored alone (predictions, states, snapshots,
// the vehicle's worst risk and mark), and a car whose part fails does not fail the others.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaService, TelemetryBatchWriter } from '#app/database';
import { loadWorkerConfig } from '#app/config';
import type { ComponentName } from '#app/maintenance';
import { ModelStateCache } from '../../apps/worker/src/scoring/model-state.cache.js';
import { PredictionStore, type ScoredComponent, type ScoringStart } from '../../apps/worker/src/scoring/prediction.store.js';
import { VehicleHistoryLoader } from '../../apps/worker/src/scoring/vehicle-history.loader.js';
import { createFleet, FLEET_VEHICLE_PROFILE } from '../support/fixtures.js';
import { DAY, HOUR, type Scored, scoredComponent as scoredOf } from '../support/scored-components.js';
import { testEnv } from '../support/test-env.js';

/** One step of a score sequence: per car (0-3) what is scored, and the version the save marks (undefined: none). */
interface Step {
  hours: number;
  scored: (car: number) => ScoredComponent[];
  mark?: (car: number) => bigint | undefined;
}

/** Every value of a car's rows carries its health, so the cars of one batch differ in each of them. */
const scoredComponent = (component: ComponentName, scored: Scored): ScoredComponent => scoredOf(component, { ...scored, byHealth: true });

describe(`${PredictionStore.name} (batched)`, () => {
  const prisma = new PrismaService(loadWorkerConfig({ ...process.env, DATABASE_URL: testEnv.databaseUrl }));
  // Pure group commit: one statement of a kind in flight, the calls made meanwhile batched after it.
  const batching = loadWorkerConfig({ ...process.env, DATABASE_URL: testEnv.databaseUrl, SCORING_BATCH_IN_FLIGHT: '1' });
  const alone = new PredictionStore(prisma);
  const sent: Record<'scoringStart' | 'save', number[]> = { scoringStart: [], save: [] };
  const batched = new PredictionStore(prisma, batching);
  batched.observeBatches((statement, size) => sent[statement].push(size));

  const pool = new pg.Pool({ connectionString: testEnv.databaseUrl, max: 2 });

  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
  });

  /** A car's rows without what names the car or a write (ids, write times). */
  async function rowsOf(vehicleId: string) {
    const predictions = await prisma.prediction.findMany({
      where: { vehicleId },
      orderBy: { component: 'asc' },
      omit: { id: true, vehicleId: true },
    });
    const states = await prisma.vehicleModelState.findMany({
      where: { vehicleId },
      orderBy: { component: 'asc' },
      omit: { updatedAt: true, vehicleId: true },
    });
    const snapshots = await prisma.predictionSnapshot.findMany({
      where: { vehicleId },
      orderBy: [{ scoredAt: 'asc' }, { component: 'asc' }],
      omit: { id: true, vehicleId: true },
    });
    const vehicle = await prisma.vehicle.findUniqueOrThrow({
      where: { id: vehicleId },
      select: { scoredVersion: true, lateSampleTs: true, lastScoredAt: true, worstRisk: true, worstDueAt: true, telemetryVersion: true },
    });
    return { predictions, states, snapshots, vehicle };
  }

  /**
   * Runs the calls at once behind a first call of the same statement for another car, sent alone: they wait for it
   * and then go as one batch. Returns each call's outcome.
   */
  async function together<T>(statement: 'scoringStart' | 'save', calls: (() => Promise<T>)[]): Promise<PromiseSettledResult<T>[]> {
    const pilot = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const first = statement === 'save' ? batched.save(pilot, [], new Date()) : batched.scoringStart(pilot);
    const outcomes = await Promise.allSettled(calls.map((call) => call()));
    await first;
    return outcomes;
  }

  /** A start without its row versions (each car's own) and in component order (neither statement orders its rows). */
  const comparable = (start: ScoringStart | null) =>
    start && {
      ...start,
      states: [...start.states].sort(([a], [b]) => a.localeCompare(b)),
      rows: start.rows.map(({ key: _key, ...row }) => row).sort((a, b) => a.component.localeCompare(b.component)),
    };

  it('saves and reads several cars in one statement exactly as one at a time: predictions, states, snapshots, worst risk, marks', async () => {
    const { vehicles } = await createFleet(prisma, 8);
    const ids = vehicles.map((v) => v.id);
    const pairs = [0, 1, 2, 3].map((i) => ({ single: ids[i]!, batch: ids[i + 4]! }));
    const lateSampleTs = new Date('2026-11-30T08:00:00.000Z');
    await prisma.vehicle.updateMany({ where: { id: { in: ids } }, data: { telemetryVersion: 8n, lateSampleTs } });
    const t0 = new Date('2026-12-01T10:00:00.000Z');
    const dueAt = new Date('2027-02-01T00:00:00.000Z');
    const at = (hours: number) => new Date(t0.getTime() + hours * HOUR);

    // Per step and car: what is scored and whether the save marks. The cars differ, so each batch mixes cases.
    const steps: Step[] = [
      { hours: 0, scored: (car) => [scoredComponent('ENGINE_COOLING', { health: 90 - car, dueAt }), scoredComponent('BATTERY', { summary: false })] },
      // Health by less than 5 on some cars, by more on others; a risk change on car 1; marks with an older version.
      {
        hours: 1,
        scored: (car) => [
          scoredComponent('ENGINE_COOLING', { health: 86 - car * 2, dueAt, risk: car === 1 ? 'SOON' : 'OK' }),
          scoredComponent('BATTERY', { summary: false }),
        ],
        mark: (car) => (car % 2 === 0 ? 7n : undefined),
      },
      // Unchanged states and summaries kept (they do not travel); the due date a day earlier on car 2.
      {
        hours: 2,
        scored: (car) => [
          scoredComponent('ENGINE_COOLING', { health: 80, dueAt: car === 2 ? new Date(dueAt.getTime() - DAY) : dueAt, unchanged: true }),
          scoredComponent('BATTERY', { summary: false, unchanged: true }),
        ],
        mark: () => 8n,
      },
      // Some components only (the others count for the worst risk as stored); car 3 gets no prediction at all.
      {
        hours: 3,
        scored: (car) => (car === 3 ? [] : [scoredComponent('TIRES', { risk: car === 0 ? 'URGENT' : 'OK' })]),
        mark: (car) => (car === 3 ? 8n : undefined),
      },
      // A slower rerun of an older job does not move the version back; a day later every component gets a snapshot.
      {
        hours: 24,
        scored: () => [scoredComponent('ENGINE_COOLING', { health: 80 }), scoredComponent('BATTERY', { summary: false })],
        mark: () => 7n,
      },
      // The same score again (a rerun of the job): idempotent.
      {
        hours: 24,
        scored: () => [scoredComponent('ENGINE_COOLING', { health: 80 }), scoredComponent('BATTERY', { summary: false })],
        mark: () => 7n,
      },
    ];
    const cache = new ModelStateCache(100);
    for (const step of steps) {
      const options = (car: number) => {
        const mark = step.mark?.(car);
        return mark === undefined ? {} : { markScored: mark };
      };
      for (const [car, { single }] of pairs.entries()) await alone.save(single, step.scored(car), at(step.hours), options(car));
      const before = sent.save.length;
      const outcomes = await together(
        'save',
        pairs.map(
          ({ batch }, car) =>
            () =>
              batched.save(batch, step.scored(car), at(step.hours), options(car)),
        ),
      );
      expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
      // The pilot alone, then the four cars in one statement.
      expect(sent.save.slice(before)).toEqual([1, 4]);
      for (const { single, batch } of pairs) expect(await rowsOf(batch)).toEqual(await rowsOf(single));

      const singleStarts = [];
      for (const { single } of pairs) singleStarts.push(await alone.scoringStart(single));
      const startsBefore = sent.scoringStart.length;
      const batchStarts = await together(
        'scoringStart',
        pairs.map(
          ({ batch }) =>
            () =>
              batched.scoringStart(batch, cache.get(batch)),
        ),
      );
      expect(sent.scoringStart.slice(startsBefore)).toEqual([1, 4]);
      for (const [car, outcome] of batchStarts.entries()) {
        if (outcome.status !== 'fulfilled') throw new Error(`scoringStart of car ${car} failed`);
        expect(comparable(outcome.value)).toEqual(comparable(singleStarts[car]!));
        // Rows held since the last read and not rewritten come from the cache, the very objects it holds.
        const held = cache.get(pairs[car]!.batch);
        for (const row of outcome.value?.rows ?? []) if (held?.get(row.component)?.key === row.key) expect(row).toBe(held.get(row.component));
        cache.set(pairs[car]!.batch, outcome.value?.rows ?? []);
      }
    }
    const last = await rowsOf(pairs[0]!.batch);
    expect(last.vehicle).toEqual(expect.objectContaining({ scoredVersion: 8n, lateSampleTs: null, worstRisk: 'URGENT', lastScoredAt: at(24) }));
    expect(last.snapshots.length).toBeGreaterThan(4);
    // Car 3 was marked with no prediction in its score: its stored ones count for the worst risk.
    expect((await rowsOf(pairs[3]!.batch)).vehicle.worstRisk).toBe('OK');
  });

  it('compares held row versions per car: two cars whose rows one batched save wrote in one transaction are not confused', async () => {
    const { vehicles } = await createFleet(prisma, 2);
    const [a, b] = vehicles.map((v) => v.id) as [string, string];
    const at = new Date('2026-12-01T10:00:00.000Z');
    await together('save', [
      () => batched.save(a, [scoredComponent('ENGINE_COOLING', { health: 70 })], at),
      () => batched.save(b, [scoredComponent('ENGINE_COOLING', { health: 60 })], at),
    ]);
    const keyOf = async (vehicleId: string) => (await alone.scoringStart(vehicleId))!.rows[0]!;
    const [rowA, rowB] = [await keyOf(a), await keyOf(b)];
    // Same component, same transaction, same now(): the same key on two cars.
    expect(rowA.key).toBe(rowB.key);
    const cache = new ModelStateCache(10);
    cache.set(a, [rowA]);
    const [startA, startB] = await together('scoringStart', [() => batched.scoringStart(a, cache.get(a)), () => batched.scoringStart(b, undefined)]);
    expect(startA).toEqual({ status: 'fulfilled', value: expect.objectContaining({ rows: [rowA] }) });
    expect(startB).toEqual({ status: 'fulfilled', value: expect.objectContaining({ rows: [rowB] }) });
    expect(startB?.status === 'fulfilled' && startB.value?.states.get('ENGINE_COOLING')?.state).toEqual({ baseline: 60 });
  });

  it('saves the other cars of a batch when one fails, and gives that one its own error; a missing car reads as null', async () => {
    const { vehicles } = await createFleet(prisma, 3);
    const ids = vehicles.map((v) => v.id);
    const missing = randomUUID();
    const at = new Date('2026-12-01T10:00:00.000Z');
    const before = sent.save.length;
    const outcomes = await together(
      'save',
      [ids[0]!, missing, ids[1]!, ids[2]!].map(
        (vehicleId) => () => batched.save(vehicleId, [scoredComponent('BATTERY', { health: 77 })], at, { markScored: 0n }),
      ),
    );
    expect(sent.save.slice(before)).toEqual([1, 4]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/foreign key/);
    for (const vehicleId of ids) {
      const rows = await rowsOf(vehicleId);
      expect(rows.predictions).toEqual([expect.objectContaining({ component: 'BATTERY', health: 77 })]);
      expect(rows.vehicle).toEqual(expect.objectContaining({ lastScoredAt: at, worstRisk: 'OK' }));
    }

    const starts = await together('scoringStart', [
      () => batched.scoringStart(ids[0]!),
      () => batched.scoringStart(missing),
      () => batched.scoringStart('not-a-uuid'),
    ]);
    expect(starts.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(starts[0]).toEqual({ status: 'fulfilled', value: expect.objectContaining({ telemetryVersion: 0n }) });
    expect(starts[1]).toEqual({ status: 'fulfilled', value: null });
  });

  it("reads several cars' new telemetry and context in one statement exactly as one at a time, each from its own watermarks", async () => {
    const { vehicles, serviceCenterId } = await createFleet(prisma, 3);
    const ids = vehicles.map((v) => v.id);
    const now = Date.now();
    const writer = new TelemetryBatchWriter(pool);
    // Per car a different driving pattern over the last three days: a sample every 5 minutes, tyres every other one.
    await writer.write(
      ids.flatMap((vehicleId, car) =>
        Array.from({ length: 800 }, (_, i) => ({
          vehicleId,
          sample: {
            seq: i + 1,
            ts: new Date(now - 3 * DAY + i * 5 * 60_000 + car * 7_000),
            speedKph: 40 + car * 10 + (i % 9),
            rpm: 1800 + i,
            coolantTempC: 85 + ((i + car) % 11),
            odometerKm: 10_000 + car * 1_000 + i * 0.4,
            batteryV: 14 - car / 10,
            ...(i % 2 === 0 ? { tires: { FL: { pressureKpa: 240 - car, treadMm: 6.5 - car / 10 }, RR: { pressureKpa: 236 + (i % 5) } } } : {}),
            ...(i === 700 + car ? { dtcs: ['P0301'] } : {}),
          },
        })),
      ),
      [],
    );
    await prisma.serviceRecord.create({
      data: { vehicleId: ids[1]!, serviceCenterId, kind: 'OIL_CHANGE', performedAt: new Date(now - 2 * DAY), odometerKm: 10_500 },
    });
    const at = new Date(now);
    // A full read, an incremental one from a day back, one from two hours back with the tyres' watermark yesterday.
    const reads: [string, Date | null, Date | null][] = [
      [ids[0]!, null, null],
      [ids[1]!, new Date(now - DAY), new Date(Math.floor((now - 2 * DAY) / DAY) * DAY)],
      [ids[2]!, new Date(now - 2 * HOUR), new Date(Math.floor((now - DAY) / DAY) * DAY)],
    ];
    const single = new VehicleHistoryLoader(prisma);
    const expected = [];
    for (const [vehicleId, after, tiresFrom] of reads)
      expected.push(await single.scoringInput(vehicleId, FLEET_VEHICLE_PROFILE, at, after, tiresFrom));

    const loader = new VehicleHistoryLoader(prisma, batching);
    const sizes: number[] = [];
    loader.observeBatches((size) => sizes.push(size));
    const pilot = (await createFleet(prisma, 1)).vehicles[0]!.id;
    const first = loader.scoringInput(pilot, FLEET_VEHICLE_PROFILE, at, null, null);
    const batchedReads = await Promise.all(
      reads.map(([vehicleId, after, tiresFrom]) => loader.scoringInput(vehicleId, FLEET_VEHICLE_PROFILE, at, after, tiresFrom)),
    );
    await first;
    expect(sizes).toEqual([1, 3]);
    expect(batchedReads).toEqual(expected);
    // The reads differ per car, so equal answers are not the same answer thrice.
    expect(expected.map((input) => input.samples.length)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
    expect(new Set(expected.map((input) => input.samples.length)).size).toBe(3);
    expect(expected[1]!.context.serviceEvents).toHaveLength(1);
    expect(expected.every((input) => input.context.tireReadings.length > 0)).toBe(true);
  });
});
