// Incremental scoring against real Postgres: the summaries a score saves, the next score reading only the
// telemetry after them, a late sample forcing a rebuild, and the rebuild budget deferring (not falsifying)
// a score. The models are the incremental ones (libs/maintenance/src/incremental).
import pg from 'pg';
import { loadWorkerConfig } from '#app/config';
import { PrismaService, TelemetryBatchWriter } from '#app/database';
import {
  createMaintenanceModels,
  isIncrementalModel,
  type DecisionContext,
  type IncrementalModel,
  type TireReadingPoint,
  type VehicleProfile,
} from '#app/maintenance';
import type { JobOutcome } from '#app/queue';
import { PredictionStore } from '../../apps/worker/src/scoring/prediction.store.js';
import { VehicleHistoryLoader } from '../../apps/worker/src/scoring/vehicle-history.loader.js';
import { VehicleScoringService } from '../../apps/worker/src/scoring/vehicle-scoring.service.js';
import { createFleet } from '../support/fixtures.js';
import { testEnv } from '../support/test-env.js';

const MINUTE = 60_000;
const detailOf = (outcome: JobOutcome): string => (outcome.status === 'done' ? (outcome.detail ?? '') : outcome.reason);

/** One 30-minute drive from `startMs`, a sample every 10 s (tyre pressures every minute), with a trouble code on the last sample. */
function drive(startMs: number, firstSeq: number, dtcs: string[] = []) {
  return Array.from({ length: 180 }, (_, i) => ({
    seq: firstSeq + i,
    ts: new Date(startMs + i * 10_000),
    speedKph: 50,
    rpm: 2000,
    coolantTempC: Math.min(90, 30 + i),
    odometerKm: 10_000 + i * 0.14,
    batteryV: 14.1,
    ...(i % 6 === 0
      ? { tires: { FL: { pressureKpa: 240, treadMm: 6.5 }, FR: { pressureKpa: 238 }, RL: { pressureKpa: 236 }, RR: { pressureKpa: 241 } } }
      : {}),
    ...(i === 179 ? { dtcs } : {}),
  }));
}

/** The loader, recording the device tyre readings each score read. */
class RecordingLoader extends VehicleHistoryLoader {
  readonly deviceTireReads: TireReadingPoint[][] = [];

  override async context(vehicleId: string, profile: VehicleProfile, now: Date, tireReadingsFrom: Date | null = null): Promise<DecisionContext> {
    const context = await super.context(vehicleId, profile, now, tireReadingsFrom);
    this.deviceTireReads.push(context.tireReadings.filter((r) => r.source === 'DEVICE'));
    return context;
  }
}

describe('incremental scoring', () => {
  const config = loadWorkerConfig({ ...process.env, DATABASE_URL: testEnv.databaseUrl, SCORING_REBUILDS_PER_SECOND: '0.001' });
  const prisma = new PrismaService(config);
  const pool = new pg.Pool({ connectionString: testEnv.databaseUrl, max: 2 });
  const writer = new TelemetryBatchWriter(pool);
  // The incremental models only: a model without a summary makes every score read the whole window.
  const models: IncrementalModel<unknown, unknown>[] = createMaintenanceModels().filter(isIncrementalModel);
  const scoring = (loader: VehicleHistoryLoader = new VehicleHistoryLoader(prisma)): VehicleScoringService =>
    new VehicleScoringService(config, loader, new PredictionStore(prisma), models);

  afterAll(async () => {
    await prisma.$disconnect();
    await pool.end();
  });

  const write = (vehicleId: string, samples: ReturnType<typeof drive>) =>
    writer.write(
      samples.map((sample) => ({ vehicleId, sample })),
      [],
    );
  const summaries = (vehicleId: string) => prisma.vehicleModelState.findMany({ where: { vehicleId }, orderBy: { component: 'asc' } });
  const vehicleRow = (vehicleId: string) => prisma.vehicle.findUniqueOrThrow({ where: { id: vehicleId } });

  it('saves the summaries, then reads only what came after them and answers as the full path does', async () => {
    expect(models.length).toBeGreaterThan(0);
    const { vehicles } = await createFleet(prisma, 1);
    const vehicleId = vehicles[0]!.id;
    const now = Date.now();
    // Three days ago, two days ago and yesterday (stored now: late, and a first score is a full one anyway).
    await write(vehicleId, [
      ...drive(now - 72 * 60 * MINUTE, 3000),
      ...drive(now - 48 * 60 * MINUTE, 1),
      ...drive(now - 24 * 60 * MINUTE, 1000, ['P0301']),
    ]);
    const loader = new RecordingLoader(prisma);
    const sut = scoring(loader);

    const first = await sut.score(vehicleId, new Date(now));
    expect(first).toMatchObject({ status: 'done' });
    expect(detailOf(first)).toMatch(/^\d+ points \(full\)/);
    const saved = await summaries(vehicleId);
    expect(saved.map((row) => row.summaryVersion).sort()).toEqual(models.map((m) => m.summaryVersion).sort());
    const lastSampleMs = now - 24 * 60 * MINUTE + 179 * 10_000;
    // The end of the last closed segment, as its 30-second bucket.
    expect(saved.map((row) => row.closedUntil?.getTime())).toEqual(saved.map(() => lastSampleMs - (lastSampleMs % 30_000)));
    expect((await vehicleRow(vehicleId)).lateSampleTs).toBeNull();
    // The tyre summary folded the closed days of device tyre readings (three days ago at least: a day is
    // folded a day after it ended) and keeps where it stopped.
    const tyres = saved.find((row) => row.component === 'TIRES');
    const tyresUntilMs = (tyres?.summary as { tires: { untilMs: number | null } } | null)?.tires.untilMs ?? Infinity;
    const dayOf = (ms: number): number => ms - (ms % (24 * 60 * MINUTE));
    expect(tyresUntilMs).toBeGreaterThanOrEqual(dayOf(now - 72 * 60 * MINUTE) + 24 * 60 * MINUTE);
    const [firstRead = []] = loader.deviceTireReads;
    expect(firstRead.filter((r) => r.ts.getTime() < now - 60 * 60 * MINUTE).length).toBeGreaterThan(0);

    // A new drive that ended 20 minutes ago (a segment of its own, after the folded ones): the next score
    // reads only its 30-second buckets (60 or 61 for 30 minutes, as the drive falls on the bucket grid).
    const newDrive = drive(now - 50 * MINUTE, 2000, ['P0301', 'P0171']);
    await write(vehicleId, newDrive);
    const buckets = new Set(newDrive.map((s) => Math.floor(s.ts.getTime() / 30_000))).size;
    const later = new Date(now + 1_000);
    const incremental = await sut.score(vehicleId, later);
    expect(detailOf(incremental)).toMatch(new RegExp(`^${String(buckets)} points \\(incremental\\)`));
    // ...and only the device tyre readings of the days not folded yet (hourly medians per wheel): never the
    // drive of three days ago again.
    const [, secondRead = []] = loader.deviceTireReads;
    expect(secondRead.length).toBeGreaterThan(0);
    expect(secondRead.every((r) => r.ts.getTime() >= tyresUntilMs)).toBe(true);
    expect(firstRead.filter((r) => r.ts.getTime() >= tyresUntilMs).length + 4 * 2).toBeGreaterThanOrEqual(secondRead.length);
    expect(secondRead.length).toBeLessThan(firstRead.length + 4 * 2);
    const incrementalPredictions = await prisma.prediction.findMany({ where: { vehicleId }, orderBy: { component: 'asc' } });

    // The same moment in full: forget the summaries and score again.
    await prisma.vehicleModelState.updateMany({ where: { vehicleId }, data: { closedUntil: null, summaryVersion: 'forgotten' } });
    await prisma.vehicle.update({ where: { id: vehicleId }, data: { lateSampleTs: null } });
    const full = await scoring().score(vehicleId, later);
    expect(detailOf(full)).toMatch(/^\d+ points \(full\)/);
    const fullPredictions = await prisma.prediction.findMany({ where: { vehicleId }, orderBy: { component: 'asc' } });
    const comparable = (rows: typeof fullPredictions) =>
      rows.map(({ component, risk, health, findings, evidence, explanation }) => ({ component, risk, health, findings, evidence, explanation }));
    expect(comparable(incrementalPredictions)).toEqual(comparable(fullPredictions));
    expect(fullPredictions.find((p) => p.component === 'DIAGNOSTICS')?.risk).not.toBe('OK');
    expect(fullPredictions.find((p) => p.component === 'TIRES')?.evidence).toMatchObject({
      wheels: { FL: { pressureKpa: 240, latestTreadMm: 6.5 } },
    });
  });

  it('rebuilds when a late sample falls into a folded segment, within the rebuild budget, and defers the one over it', async () => {
    const { vehicles } = await createFleet(prisma, 2);
    const now = Date.now();
    for (const vehicle of vehicles) await write(vehicle.id, drive(now - 24 * 60 * MINUTE, 1));
    const sut = scoring();
    for (const vehicle of vehicles) expect(detailOf(await sut.score(vehicle.id, new Date(now)))).toMatch(/\(full\)/);

    // A late resend from the middle of yesterday's drive, with a code the folded summary has not seen.
    const [resent] = drive(now - 24 * 60 * MINUTE + 55_000, 500, ['P0420']);
    for (const vehicle of vehicles) await write(vehicle.id, [{ ...resent!, dtcs: ['P0420'] }]);
    for (const vehicle of vehicles) expect((await vehicleRow(vehicle.id)).lateSampleTs).toEqual(resent!.ts);

    // The budget (0.001/s, a burst of one) allows one rebuild now: the other car keeps its last prediction.
    const rebuilt = await sut.score(vehicles[0]!.id, new Date(now + 1_000));
    const deferred = await sut.score(vehicles[1]!.id, new Date(now + 1_000));
    expect(detailOf(rebuilt)).toMatch(/\(full\)/);
    expect(deferred).toEqual({ status: 'skipped', reason: 'model summaries need a rebuild: deferred by the rebuild budget' });
    const diagnostics = await prisma.prediction.findMany({ where: { vehicleId: { in: vehicles.map((v) => v.id) }, component: 'DIAGNOSTICS' } });
    expect(diagnostics.map((p) => p.scoredAt.getTime()).sort()).toEqual([now, now + 1_000]);
    // The deferred car is still behind its telemetry: the reconciler will ask for it again.
    const behind = await prisma.vehicle.findUniqueOrThrow({ where: { id: vehicles[1]!.id } });
    expect(behind.scoredVersion).toBeLessThan(behind.telemetryVersion);
    expect(behind.lateSampleTs).not.toBeNull();
  });
});
