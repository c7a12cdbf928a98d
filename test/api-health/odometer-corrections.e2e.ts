import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { type PrismaClient, PrismaService } from '#app/database';
import { createMaintenanceModels, type MaintenanceModel } from '#app/maintenance';
import { VehicleHistoryLoader } from '../../apps/worker/src/scoring/vehicle-history.loader.js';
import { closeAll, createTenant, type ScoringJobs, startApiWithOwnQueue, type Tenant, tokenFor } from './api-health.fixtures.js';

const DAY_MS = 24 * 3_600_000;
const PROFILE = {
  make: 'Toyota',
  model: 'Corolla',
  year: 2021,
  fuelType: 'PETROL',
  oilServiceIntervalKm: 15_000,
  oilServiceIntervalMonths: 12,
} as const;

describe('Odometer corrections', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;
  let other: Tenant;

  const http = () => request(app.getHttpServer());
  const path = (tenant: Tenant): string => `/api/v1/vehicles/${tenant.vehicle.vin}/odometer-corrections`;
  const post = async (tenant: Tenant, email: string, body: object) =>
    http()
      .post(path(tenant))
      .set('Authorization', `Bearer ${await tokenFor(app, email)}`)
      .send(body);

  beforeAll(async () => {
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('odometer-corrections'));
    other = await createTenant(prisma, 'odometer-other');
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  describe('POST /api/v1/vehicles/{vin}/odometer-corrections', () => {
    it('records who confirmed which change when, takes the new reading and asks for a rescore', async () => {
      const tenant = await createTenant(prisma, 'odometer-ok');
      const effectiveAt = new Date(Date.now() - 2 * 3_600_000).toISOString();

      const response = await post(tenant, tenant.staff.email, { effectiveAt, odometerKm: 12, note: 'instrument cluster replaced under warranty' });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        vin: tenant.vehicle.vin,
        effectiveAt,
        odometerKm: 12,
        note: 'instrument cluster replaced under warranty',
        confirmedById: tenant.staff.id,
        rescore: 'requested',
      });
      expect(Date.now() - Date.parse(response.body.confirmedAt as string)).toBeLessThan(60_000);
      const rows = await prisma.odometerCorrection.findMany({ where: { vehicleId: tenant.vehicle.id } });
      expect(rows).toEqual([expect.objectContaining({ serviceCenterId: tenant.center.id, confirmedById: tenant.staff.id, odometerKm: 12 })]);
      // The new reading is the vehicle's odometer (createTenant starts it at 42,000 km), and the vehicle is due a score.
      const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: tenant.vehicle.id } });
      expect(vehicle.odometerKm).toBe(12);
      expect(vehicle.telemetryVersion).toBe(1n);
      expect(await scoringJobs.forVehicle(tenant.vehicle.id)).toEqual([
        { name: 'vehicle-score', vehicleId: tenant.vehicle.id, reason: 'odometer-correction' },
      ]);

      const list = await http()
        .get(path(tenant))
        .set('Authorization', `Bearer ${await tokenFor(app, tenant.staff.email)}`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ vin: tenant.vehicle.vin, items: [expect.objectContaining({ id: response.body.id, odometerKm: 12 })] });
    });

    it('makes the new reading the baseline for the models at once: the worker history carries it and the tyre evidence shows it confirmed', async () => {
      const tenant = await createTenant(prisma, 'odometer-effect');
      const now = new Date();
      const jumpAt = new Date(now.getTime() - 3_600_000);
      // Ten days of 40 km a day, then a new cluster reading 100,000 km more: only two readings since, too few to believe alone.
      const samples = Array.from({ length: 10 * 10 }, (_, i) => {
        const day = Math.floor(i / 10);
        return { ts: new Date(jumpAt.getTime() - (10 - day) * DAY_MS + (i % 10) * 60_000), km: 42_000 + day * 40 + (i % 10) * 4 };
      });
      samples.push({ ts: jumpAt, km: 142_400 }, { ts: new Date(jumpAt.getTime() + 60_000), km: 142_404 });
      await prisma.telemetrySample.createMany({
        data: samples.map((s, seq) => ({ vehicleId: tenant.vehicle.id, seq, ts: s.ts, odometerKm: s.km, speedKph: 240 })),
      });
      const tires = (): MaintenanceModel => {
        const model = createMaintenanceModels().find((m) => m.component === 'TIRES');
        if (model === undefined) throw new Error('no tyre model');
        return model;
      };
      const loader = new VehicleHistoryLoader(app.get(PrismaService));
      const before = tires().assess(await loader.load(tenant.vehicle.id, PROFILE, now), undefined, now).assessment;

      const response = await post(tenant, tenant.staff.email, {
        effectiveAt: new Date(jumpAt.getTime() - 60_000).toISOString(),
        odometerKm: 142_400,
      });
      const history = await loader.load(tenant.vehicle.id, PROFILE, now);
      const after = tires().assess(history, undefined, now).assessment;

      expect(response.status).toBe(201);
      expect(before.evidence.odometerEvents).toEqual([]);
      expect(before.evidence.currentOdometerKm).toBeLessThan(100_000);
      expect(history.odometerCorrections).toEqual([
        { effectiveAt: new Date(jumpAt.getTime() - 60_000), odometerKm: 142_400, confirmedBy: tenant.staff.id, confirmedAt: expect.any(Date) },
      ]);
      expect(after.evidence.currentOdometerKm).toBeGreaterThanOrEqual(142_400);
      expect(after.evidence.odometerEvents).toEqual([expect.objectContaining({ kind: 'JUMP', confirmed: true, confirmedBy: tenant.staff.id })]);
    });

    it.each([
      ['a future date', { effectiveAt: new Date(Date.now() + DAY_MS).toISOString(), odometerKm: 10 }, 'effectiveAt: must not be in the future'],
      ['a negative reading', { effectiveAt: new Date().toISOString(), odometerKm: -5 }, 'odometerKm'],
      ['a reading as text', { effectiveAt: new Date().toISOString(), odometerKm: '100' }, 'odometerKm'],
      ['no reading', { effectiveAt: new Date().toISOString() }, 'odometerKm'],
      ['an unknown field', { effectiveAt: new Date().toISOString(), odometerKm: 10, confirmedBy: 'someone else' }, 'confirmedBy'],
    ])('answers 400 for %s and writes nothing', async (_case, body, mentions) => {
      const tenant = await createTenant(prisma, 'odometer-bad');

      const response = await post(tenant, tenant.staff.email, body);

      expect(response.status).toBe(400);
      expect(String(response.body.message)).toContain(mentions);
      expect(await prisma.odometerCorrection.count({ where: { vehicleId: tenant.vehicle.id } })).toBe(0);
    });

    it('answers 403 to the owner (an owner could hide distance) and 404 to staff of another center, writing nothing', async () => {
      const tenant = await createTenant(prisma, 'odometer-scope');
      const body = { effectiveAt: new Date().toISOString(), odometerKm: 10 };

      const byOwner = await post(tenant, tenant.owner.email, body);
      const byStranger = await post(tenant, other.staff.email, body);
      const listByStranger = await http()
        .get(path(tenant))
        .set('Authorization', `Bearer ${await tokenFor(app, other.staff.email)}`);

      expect(byOwner.status).toBe(403);
      expect(byStranger.status).toBe(404);
      expect(listByStranger.status).toBe(404);
      expect(await prisma.odometerCorrection.count({ where: { vehicleId: tenant.vehicle.id } })).toBe(0);
    });
  });
});
