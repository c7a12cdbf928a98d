import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { closeAll, createTenant, type ScoringJobs, startApiWithOwnQueue, type Tenant, tokenFor } from './api-health.fixtures.js';

const DAY_MS = 24 * 3_600_000;

/** A valid inspection body; override any field. */
const inspection = (overrides: Record<string, unknown> = {}) => ({
  measuredAt: new Date(Date.now() - 3_600_000).toISOString(),
  odometerKm: 43_210,
  tires: { FL: { treadMm: 3.2, pressureKpa: 230 }, FR: { treadMm: 3.4 }, RL: {}, RR: { pressureKpa: 180 } },
  ...overrides,
});

describe('Inspections and service records', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;
  let other: Tenant;

  const http = () => request(app.getHttpServer());
  const post = async (path: string, email: string, body: object) =>
    http()
      .post(path)
      .set('Authorization', `Bearer ${await tokenFor(app, email)}`)
      .send(body);

  beforeAll(async () => {
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('inspections'));
    other = await createTenant(prisma, 'inspections-other');
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  describe('POST /api/v1/vehicles/{vin}/inspections', () => {
    it('stores one INSPECTION reading per measured wheel under one inspection id, takes the odometer and asks for a rescore', async () => {
      const tenant = await createTenant(prisma, 'inspection-ok');
      const body = inspection();

      const response = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`, tenant.staff.email, body);

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        inspectionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        vin: tenant.vehicle.vin,
        measuredAt: body.measuredAt,
        odometerKm: 43_210,
        odometerUpdated: true,
        rescore: 'requested',
        readings: [
          { position: 'FL', treadMm: 3.2, pressureKpa: 230 },
          { position: 'FR', treadMm: 3.4, pressureKpa: null },
          { position: 'RR', treadMm: null, pressureKpa: 180 },
        ],
      });
      const rows = await prisma.tireReading.findMany({ where: { vehicleId: tenant.vehicle.id }, orderBy: { position: 'asc' } });
      expect(rows.map((row) => [row.position, row.source, row.inspectionId, row.treadMm, row.pressureKpa, row.odometerKm])).toEqual([
        ['FL', 'INSPECTION', response.body.inspectionId, 3.2, 230, 43_210],
        ['FR', 'INSPECTION', response.body.inspectionId, 3.4, null, 43_210],
        ['RR', 'INSPECTION', response.body.inspectionId, null, 180, 43_210],
      ]);
      expect(rows.every((row) => row.ts.toISOString() === body.measuredAt)).toBe(true);
      const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: tenant.vehicle.id } });
      expect(vehicle.odometerKm).toBe(43_210);
      // The reconciler's mark: a lost job still ends in a rescore.
      expect(vehicle.telemetryVersion).toBe(1n);
      expect(await scoringJobs.forVehicle(tenant.vehicle.id)).toEqual([
        { name: 'vehicle-score', vehicleId: tenant.vehicle.id, reason: 'inspection' },
      ]);
    });

    it('gives each request its own inspection id and keeps a newer odometer when the inspection is older', async () => {
      const tenant = await createTenant(prisma, 'inspection-older');
      await prisma.vehicle.update({ where: { id: tenant.vehicle.id }, data: { lastSampleTs: new Date(), odometerKm: 44_000 } });

      const first = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`, tenant.staff.email, inspection());
      const second = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`, tenant.staff.email, inspection());

      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expect(second.body.inspectionId).not.toBe(first.body.inspectionId);
      expect(first.body.odometerUpdated).toBe(false);
      expect((await prisma.vehicle.findUniqueOrThrow({ where: { id: tenant.vehicle.id } })).odometerKm).toBe(44_000);
    });

    it('answers 400 with a clear message for a date in the future', async () => {
      const tenant = await createTenant(prisma, 'inspection-future');

      const response = await post(
        `/api/v1/vehicles/${tenant.vehicle.vin}/inspections`,
        tenant.staff.email,
        inspection({ measuredAt: new Date(Date.now() + DAY_MS).toISOString() }),
      );

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('measuredAt: must not be in the future');
    });

    it('answers 400 naming the wheel for a tread of 25 mm', async () => {
      const tenant = await createTenant(prisma, 'inspection-tread');

      const response = await post(
        `/api/v1/vehicles/${tenant.vehicle.vin}/inspections`,
        tenant.staff.email,
        inspection({ tires: { RL: { treadMm: 25 } } }),
      );

      expect(response.status).toBe(400);
      expect(response.body.message).toBe('tires.RL.treadMm: tread depth must be between 0 and 20 mm');
      expect(await prisma.tireReading.count({ where: { vehicleId: tenant.vehicle.id } })).toBe(0);
    });

    it('answers 400 when no wheel carries a value', async () => {
      const tenant = await createTenant(prisma, 'inspection-empty');

      const empty = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`, tenant.staff.email, inspection({ tires: {} }));
      const blank = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`, tenant.staff.email, inspection({ tires: { FL: {}, FR: {} } }));

      for (const response of [empty, blank]) {
        expect(response.status).toBe(400);
        expect(response.body.message).toBe('tires: at least one wheel needs a treadMm or pressureKpa value');
      }
    });

    it('answers 403 to the owner of the vehicle and writes nothing', async () => {
      const tenant = await createTenant(prisma, 'inspection-owner');

      const response = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`, tenant.owner.email, inspection());

      expect(response.status).toBe(403);
      expect(response.body.error).toBe('InsufficientRoleError');
      expect(await prisma.tireReading.count({ where: { vehicleId: tenant.vehicle.id } })).toBe(0);
    });

    it('answers 404 to staff of another center', async () => {
      const tenant = await createTenant(prisma, 'inspection-foreign');

      const response = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`, other.staff.email, inspection());

      expect(response.status).toBe(404);
      expect(await prisma.tireReading.count({ where: { vehicleId: tenant.vehicle.id } })).toBe(0);
    });
  });

  describe('/api/v1/vehicles/{vin}/service-records', () => {
    it("records staff work in the vehicle's center, takes the odometer and asks for a rescore", async () => {
      const tenant = await createTenant(prisma, 'service-staff');
      const performedAt = new Date(Date.now() - DAY_MS).toISOString();

      const response = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/service-records`, tenant.staff.email, {
        kind: 'TIRE_REPLACEMENT',
        performedAt,
        odometerKm: 42_500,
        positions: ['FL', 'FR'],
        notes: 'Two new Michelin Primacy 4',
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        vin: tenant.vehicle.vin,
        serviceCenterId: tenant.center.id,
        kind: 'TIRE_REPLACEMENT',
        performedAt,
        odometerKm: 42_500,
        positions: ['FL', 'FR'],
        notes: 'Two new Michelin Primacy 4',
        createdById: tenant.staff.id,
        odometerUpdated: true,
        rescore: 'requested',
      });
      const row = await prisma.serviceRecord.findUniqueOrThrow({ where: { id: response.body.id } });
      expect(row).toMatchObject({ vehicleId: tenant.vehicle.id, serviceCenterId: tenant.center.id, kind: 'TIRE_REPLACEMENT' });
      expect((await prisma.vehicle.findUniqueOrThrow({ where: { id: tenant.vehicle.id } })).odometerKm).toBe(42_500);
      expect(await scoringJobs.forVehicle(tenant.vehicle.id)).toEqual([
        { name: 'vehicle-score', vehicleId: tenant.vehicle.id, reason: 'service-record' },
      ]);
    });

    it('lets the owner record work done elsewhere, still filed under the vehicle center', async () => {
      const tenant = await createTenant(prisma, 'service-owner');

      const response = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/service-records`, tenant.owner.email, {
        kind: 'OIL_CHANGE',
        performedAt: new Date(Date.now() - 2 * DAY_MS).toISOString(),
      });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ serviceCenterId: tenant.center.id, createdById: tenant.owner.id, odometerUpdated: false });
      expect(await scoringJobs.forVehicle(tenant.vehicle.id)).toHaveLength(1);
    });

    it("answers 404 to an owner recording work on someone else's vehicle", async () => {
      const stranger = await createTenant(prisma, 'service-stranger');

      const response = await post(`/api/v1/vehicles/${other.vehicle.vin}/service-records`, stranger.owner.email, {
        kind: 'OIL_CHANGE',
        performedAt: new Date().toISOString(),
      });

      expect(response.status).toBe(404);
      expect(await prisma.serviceRecord.count({ where: { vehicleId: other.vehicle.id } })).toBe(0);
    });

    it('answers 400 for an unknown kind, a repeated wheel and a future date', async () => {
      const tenant = await createTenant(prisma, 'service-invalid');

      const response = await post(`/api/v1/vehicles/${tenant.vehicle.vin}/service-records`, tenant.staff.email, {
        kind: 'CAR_WASH',
        performedAt: new Date(Date.now() + DAY_MS).toISOString(),
        positions: ['FL', 'FL'],
      });

      expect(response.status).toBe(400);
      expect(response.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['kind', 'performedAt', 'positions']);
    });

    it('lists the records newest work first, optionally by kind', async () => {
      const tenant = await createTenant(prisma, 'service-list');
      const record = (kind: 'OIL_CHANGE' | 'BATTERY_REPLACEMENT', daysAgo: number) =>
        post(`/api/v1/vehicles/${tenant.vehicle.vin}/service-records`, tenant.staff.email, {
          kind,
          performedAt: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
        });
      await record('OIL_CHANGE', 200);
      await record('BATTERY_REPLACEMENT', 10);
      await record('OIL_CHANGE', 30);
      const ownerToken = await tokenFor(app, tenant.owner.email);

      const all = await http().get(`/api/v1/vehicles/${tenant.vehicle.vin}/service-records`).set('Authorization', `Bearer ${ownerToken}`);
      const oil = await http()
        .get(`/api/v1/vehicles/${tenant.vehicle.vin}/service-records?kind=OIL_CHANGE&limit=1`)
        .set('Authorization', `Bearer ${ownerToken}`);

      expect(all.status).toBe(200);
      expect(all.body.items.map((r: { kind: string }) => r.kind)).toEqual(['BATTERY_REPLACEMENT', 'OIL_CHANGE', 'OIL_CHANGE']);
      expect(oil.body.items).toHaveLength(1);
      expect(new Date(oil.body.items[0].performedAt).getTime()).toBeGreaterThan(Date.now() - 31 * DAY_MS);
    });
  });
});
