import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import {
  closeAll,
  createTenant,
  markScored,
  predictionData,
  type ScoringJobs,
  snapshotData,
  startApiWithOwnQueue,
  type Tenant,
  tokenFor,
} from './api-health.fixtures.js';

const DAY_MS = 24 * 3_600_000;

describe('GET /api/v1/vehicles/{vin}/health', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;
  let scored: Tenant;
  let unscored: Tenant;
  const scoredAt = new Date(Date.now() - 3_600_000);
  const soonDue = new Date(Date.now() + 10 * DAY_MS);
  const laterDue = new Date(Date.now() + 20 * DAY_MS);

  const http = () => request(app.getHttpServer());
  const get = async (path: string, email: string) =>
    http()
      .get(path)
      .set('Authorization', `Bearer ${await tokenFor(app, email)}`);

  beforeAll(async () => {
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('health'));
    scored = await createTenant(prisma, 'health-scored');
    unscored = await createTenant(prisma, 'health-unscored');
    const id = scored.vehicle.id;
    await prisma.prediction.createMany({
      data: [
        predictionData(id, 'BATTERY', { health: 70, risk: 'WATCH', scoredAt }),
        predictionData(id, 'TIRES', {
          health: 35,
          risk: 'SOON',
          dueAt: laterDue,
          scoredAt,
          findings: [{ code: 'TIRE_TREAD_LOW', subject: 'FL', risk: 'SOON', message: 'Front left tread is 2.1 mm', params: { treadMm: 2.1 } }],
          explanation: 'Front left tire is wearing out',
        }),
        predictionData(id, 'ENGINE_COOLING', { health: 55, risk: 'SOON', dueAt: soonDue, scoredAt }),
        predictionData(id, 'SERVICE_SCHEDULE', { health: 95, risk: 'OK', dueAt: null, dueOdometerKm: null, scoredAt }),
      ],
    });
    await markScored(prisma, id, scoredAt);
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  it('returns overall health, freshness and every component field, worst risk first', async () => {
    const response = await get(`/api/v1/vehicles/${scored.vehicle.vin}/health`, scored.owner.email);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      vin: scored.vehicle.vin,
      status: 'current',
      current: true,
      overall: { health: 35, risk: 'SOON' },
      lastScoredAt: scoredAt.toISOString(),
    });
    // SOON before WATCH before OK; between the two SOONs the lower health first.
    expect(response.body.components.map((c: { component: string }) => c.component)).toEqual([
      'TIRES',
      'ENGINE_COOLING',
      'BATTERY',
      'SERVICE_SCHEDULE',
    ]);
    expect(response.body.components[0]).toEqual({
      component: 'TIRES',
      health: 35,
      risk: 'SOON',
      dueAt: laterDue.toISOString(),
      dueOdometerKm: 50_000,
      confidence: { kind: 'interval', unit: 'days', level: 0.8, low: 100, high: 140 },
      evidence: { samples: 1200, windowDays: 30 },
      findings: [{ code: 'TIRE_TREAD_LOW', subject: 'FL', risk: 'SOON', message: 'Front left tread is 2.1 mm', params: { treadMm: 2.1 } }],
      explanation: 'Front left tire is wearing out',
      modelVersion: 'tires@1.0.0',
      scoredAt: scoredAt.toISOString(),
    });
  });

  it('shows the same health to staff of the vehicle center', async () => {
    const response = await get(`/api/v1/vehicles/${scored.vehicle.vin}/health`, scored.staff.email);

    expect(response.status).toBe(200);
    expect(response.body.overall).toEqual({ health: 35, risk: 'SOON' });
  });

  it('says stale when telemetry arrived after the last score', async () => {
    const tenant = await createTenant(prisma, 'health-stale');
    await prisma.prediction.create({ data: predictionData(tenant.vehicle.id, 'BATTERY', { scoredAt }) });
    await markScored(prisma, tenant.vehicle.id, scoredAt);
    await prisma.vehicle.update({ where: { id: tenant.vehicle.id }, data: { telemetryVersion: { increment: 1 } } });

    const response = await get(`/api/v1/vehicles/${tenant.vehicle.vin}/health`, tenant.owner.email);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'stale', current: false, overall: { health: 90, risk: 'OK' } });
  });

  it("answers 200 with status 'not-scored-yet' and no components before the first score", async () => {
    const response = await get(`/api/v1/vehicles/${unscored.vehicle.vin}/health`, unscored.owner.email);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      vin: unscored.vehicle.vin,
      status: 'not-scored-yet',
      overall: null,
      lastScoredAt: null,
      current: false,
      components: [],
    });
  });

  it("answers 404 to an owner (and to another center's staff) asking for someone else's vehicle", async () => {
    const owner = await get(`/api/v1/vehicles/${scored.vehicle.vin}/health`, unscored.owner.email);
    const staff = await get(`/api/v1/vehicles/${scored.vehicle.vin}/health/history`, unscored.staff.email);

    expect(owner.status).toBe(404);
    expect(owner.body.error).toBe('VehicleNotFoundError');
    expect(staff.status).toBe(404);
  });

  describe('GET /api/v1/vehicles/{vin}/health/history', () => {
    const BATTERY_FINDINGS = [
      { code: 'BATTERY_RESTING_LOW', subject: 'battery', risk: 'WATCH', message: 'Resting voltage low', params: { volts: 12.2 } },
    ];
    let tenant: Tenant;
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);

    beforeAll(async () => {
      tenant = await createTenant(prisma, 'health-history');
      const snapshot = (component: 'TIRES' | 'BATTERY', hours: number, health: number) =>
        snapshotData(tenant.vehicle.id, component, {
          health,
          scoredAt: hoursAgo(hours),
          ...(component === 'BATTERY' ? { findings: BATTERY_FINDINGS } : {}),
        });
      // Inserted out of order on purpose: the answer must be ordered by scoredAt, not insertion.
      await prisma.predictionSnapshot.createMany({
        data: [snapshot('TIRES', 48, 80), snapshot('BATTERY', 1, 60), snapshot('TIRES', 2, 50), snapshot('TIRES', 24, 70)],
      });
    });

    it('returns the snapshots newest first', async () => {
      const response = await get(`/api/v1/vehicles/${tenant.vehicle.vin}/health/history`, tenant.owner.email);

      expect(response.status).toBe(200);
      expect(response.body.truncated).toBe(false);
      expect(response.body.items.map((s: { component: string; health: number }) => [s.component, s.health])).toEqual([
        ['BATTERY', 60],
        ['TIRES', 50],
        ['TIRES', 70],
        ['TIRES', 80],
      ]);
    });

    it('lists what a chart of the history draws without the evidence and findings, which include adds', async () => {
      const page = (include = ''): Promise<request.Response> =>
        get(`/api/v1/vehicles/${tenant.vehicle.vin}/health/history?limit=1${include}`, tenant.owner.email);
      const list = await page();
      const withFindings = await page('&include=findings');
      const withEvidence = await page('&include=evidence');
      const full = await page('&include=evidence,findings');
      const bad = await page('&include=everything');
      const badSecond = await page('&include=evidence,everything');

      expect(list.status).toBe(200);
      const { id, ...item } = list.body.items[0] as { id: string };
      expect(id).toMatch(/^\d+$/);
      expect(item).toEqual({
        component: 'BATTERY',
        health: 60,
        risk: 'OK',
        dueAt: expect.any(String),
        dueOdometerKm: 50_000,
        confidence: { kind: 'interval', unit: 'days', level: 0.8, low: 100, high: 140 },
        explanation: expect.any(String),
        modelVersion: expect.any(String),
        scoredAt: expect.any(String),
      });
      const findings = BATTERY_FINDINGS;
      expect(withFindings.body.items[0]).toEqual({ id, ...item, findings });
      expect(withEvidence.body.items[0]).toEqual({ id, ...item, evidence: { samples: 1200, windowDays: 30 } });
      expect(full.body.items[0]).toEqual({ id, ...item, findings, evidence: { samples: 1200, windowDays: 30 } });
      for (const refused of [bad, badSecond]) {
        expect(refused.status).toBe(400);
        expect(refused.body.issues[0].path).toBe('include');
      }
    });

    it('filters by component and time window and keeps the newest `limit`', async () => {
      const response = await get(
        `/api/v1/vehicles/${tenant.vehicle.vin}/health/history?component=TIRES&from=${encodeURIComponent(hoursAgo(30).toISOString())}&limit=1`,
        tenant.owner.email,
      );

      expect(response.status).toBe(200);
      expect(response.body.truncated).toBe(true);
      expect(response.body.items.map((s: { health: number }) => s.health)).toEqual([50]);
    });

    it('answers 400 naming the parameter for an unknown component', async () => {
      const response = await get(`/api/v1/vehicles/${tenant.vehicle.vin}/health/history?component=BRAKES`, tenant.owner.email);

      expect(response.status).toBe(400);
      expect(response.body.issues[0].path).toBe('component');
    });
  });
});
