import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { createPrismaClient, type PrismaClient, TelemetryBatchWriter } from '#app/database';
import { createMaintenanceModels } from '#app/maintenance';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { VehicleScoringService } from '../../apps/worker/src/scoring/vehicle-scoring.service.js';
import { createFleet } from '../support/fixtures.js';
import { waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';

/** Two days of a healthy commute: two 40-minute drives a day, coolant warming to 90 C. */
function commuteSamples(
  days: number,
  end: Date,
): {
  seq: number;
  ts: Date;
  speedKph: number;
  rpm: number;
  coolantTempC: number;
  odometerKm: number;
  batteryV: number;
  fuelRateLph: number;
  engineLoadPct: number;
}[] {
  const samples = [];
  let seq = 1;
  let odometerKm = 20_000;
  for (let day = days; day >= 1; day -= 1) {
    for (const startHour of [8, 18]) {
      const start = end.getTime() - day * 86_400_000 + startHour * 3_600_000;
      for (let s = 0; s < 40 * 6; s += 1) {
        const minutes = s / 6;
        const speedKph = 45 + 15 * Math.sin(s / 7);
        odometerKm += speedKph / 360;
        samples.push({
          seq: seq++,
          ts: new Date(start + s * 10_000),
          speedKph,
          rpm: 1500 + speedKph * 20,
          coolantTempC: 90 - 65 * Math.exp(-minutes / 4),
          odometerKm,
          batteryV: 14.1,
          fuelRateLph: 1 + speedKph * 0.07,
          engineLoadPct: 35,
        });
      }
    }
  }
  return samples;
}

describe('vehicle scoring in the worker', () => {
  let prisma: PrismaClient;
  let pool: pg.Pool;
  let worker: INestApplicationContext | undefined;

  beforeAll(() => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
    pool = new pg.Pool({ connectionString: testEnv.databaseUrl, max: 2 });
  });

  afterAll(async () => {
    await worker?.close();
    await prisma.$disconnect();
    await pool.end();
  });

  it('scores a vehicle whose telemetry is newer than its last score even though no job was ever queued', async () => {
    const fleet = await createFleet(prisma, 1);
    const vehicle = fleet.vehicles[0]!;
    const samples = commuteSamples(3, new Date());
    await new TelemetryBatchWriter(pool).write(
      samples.map((sample) => ({ vehicleId: vehicle.id, sample })),
      [],
    );

    process.env.QUEUE_PREFIX = `test-scoring-${randomUUID().slice(0, 8)}`;
    process.env.RECONCILE_INTERVAL_MS = '300';
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    await worker.init();

    const scored = await waitFor(
      () => prisma.vehicle.findUniqueOrThrow({ where: { id: vehicle.id } }),
      (v) => v.scoredVersion === v.telemetryVersion && v.lastScoredAt !== null,
      20_000,
    );
    expect(scored.scoredVersion).toBe(scored.telemetryVersion);

    const predictions = await prisma.prediction.findMany({ where: { vehicleId: vehicle.id } });
    console.log(predictions.map((p) => `${p.component}: ${p.risk} ${p.health} - ${p.explanation}`).join('\n'));
    expect(predictions.map((p) => p.component).sort()).toEqual(
      createMaintenanceModels()
        .map((m) => m.component)
        .sort(),
    );
    for (const prediction of predictions) {
      expect(prediction.explanation.length).toBeGreaterThan(10);
      expect(prediction.modelVersion).not.toBe('');
      expect(['OK', 'WATCH']).toContain(prediction.risk);
    }
    const states = await prisma.vehicleModelState.count({ where: { vehicleId: vehicle.id } });
    expect(states).toBe(predictions.length);
  });

  it('is idempotent: scoring again at the same telemetry version rewrites, it does not add', async () => {
    const fleet = await createFleet(prisma, 1);
    const vehicle = fleet.vehicles[0]!;
    await new TelemetryBatchWriter(pool).write(
      commuteSamples(2, new Date()).map((sample) => ({ vehicleId: vehicle.id, sample })),
      [],
    );
    // The running worker's reconciler scores this vehicle on its own: let it finish first, so the scores
    // below are not racing it.
    await waitFor(
      () => prisma.vehicle.findUniqueOrThrow({ where: { id: vehicle.id } }),
      (v) => v.scoredVersion === v.telemetryVersion,
      20_000,
    );
    const sut = worker!.get(VehicleScoringService);
    const now = new Date();
    await sut.score(vehicle.id, now);
    const first = await prisma.predictionSnapshot.count({ where: { vehicleId: vehicle.id } });
    expect(first).toBeGreaterThan(0);
    await sut.score(vehicle.id, now);
    expect(await prisma.prediction.count({ where: { vehicleId: vehicle.id } })).toBeGreaterThan(0);
    expect(await prisma.predictionSnapshot.count({ where: { vehicleId: vehicle.id } })).toBe(first);
    expect(await sut.score(randomUUID(), now)).toEqual({ status: 'skipped', reason: 'vehicle not found' });
  });
});
