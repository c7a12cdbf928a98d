import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { APP_CONFIG, type AppConfig } from '#app/config';
import type { Component, PrismaClient, Risk } from '#app/database';
import { createRedisConnection } from '#app/queue';
import {
  closeAll,
  createTenant,
  predictionData,
  type ScoringJobs,
  startApiWithOwnQueue,
  syncWorstRisk,
  type Tenant,
  tokenFor,
  uniqueVin,
} from './api-health.fixtures.js';

const DAY_MS = 24 * 3_600_000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS);
const SUMMARY_TTL_MS = 1_500;

describe('GET /api/v1/dashboard', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;
  let center: Tenant;
  let otherCenter: Tenant;
  const vins: Record<string, string> = {};

  const http = () => request(app.getHttpServer());
  const get = async (path: string, email: string) =>
    http()
      .get(path)
      .set('Authorization', `Bearer ${await tokenFor(app, email)}`);

  /** A vehicle of `tenant` with these predictions (component, risk, due in days, health). */
  async function vehicleWith(tenant: Tenant, label: string, predictions: [Component, Risk, number | null, number][]) {
    const vehicle = await prisma.vehicle.create({
      data: {
        vin: uniqueVin(),
        make: 'Geely',
        model: label,
        year: 2022,
        plate: `鲁B·${label}`,
        serviceCenterId: tenant.center.id,
        ownerId: tenant.owner.id,
      },
    });
    await prisma.prediction.createMany({
      data: predictions.map(([component, risk, dueDays, health]) =>
        predictionData(vehicle.id, component, {
          risk,
          health,
          dueAt: dueDays === null ? null : inDays(dueDays),
          explanation: `${label} ${component} is ${risk}`,
        }),
      ),
    });
    await syncWorstRisk(prisma, vehicle.id);
    vins[label] = vehicle.vin;
    return vehicle;
  }

  const rejected = (data: { serviceCenterId?: string; vehicleId?: string; hoursAgo: number }) => ({
    topic: 'vehicles/x/telemetry',
    reason: 'OUT_OF_RANGE',
    detail: 'coolantTempC 400 is outside -40..215',
    payloadBytes: 10,
    payloadExcerpt: '{}',
    messageHash: randomUUID(),
    receivedAt: new Date(Date.now() - data.hoursAgo * 3_600_000),
    ...(data.serviceCenterId === undefined ? {} : { serviceCenterId: data.serviceCenterId }),
    ...(data.vehicleId === undefined ? {} : { vehicleId: data.vehicleId }),
  });

  beforeAll(async () => {
    // A short summary cache, so the test of its staleness bound waits a second and a half, not ten.
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('dashboard', (config) => ({
      ...config,
      api: { ...config.api, dashboardSummaryTtlMs: SUMMARY_TTL_MS },
    })));
    center = await createTenant(prisma, 'dashboard-center');
    otherCenter = await createTenant(prisma, 'dashboard-other');
    await prisma.user.update({ where: { id: center.owner.id }, data: { phone: '+86 532 8888 1234' } });

    const critical = await vehicleWith(center, 'CRIT', [
      ['BATTERY', 'CRITICAL', 2, 5],
      ['TIRES', 'OK', 300, 90],
    ]);
    await vehicleWith(center, 'URG', [['TIRES', 'URGENT', 5, 20]]);
    await vehicleWith(center, 'SOON-LATE', [
      ['ENGINE_COOLING', 'SOON', 20, 50],
      ['TIRES', 'SOON', 10, 60],
      ['BATTERY', 'WATCH', 40, 70],
    ]);
    const soonEarly = await vehicleWith(center, 'SOON-EARLY', [['SERVICE_SCHEDULE', 'SOON', 3, 40]]);
    await vehicleWith(center, 'WATCH', [['FUEL_ECONOMY', 'WATCH', null, 75]]);
    // Worse than everything in `center`: must never show up there.
    const foreign = await vehicleWith(otherCenter, 'FOREIGN', [['DIAGNOSTICS', 'CRITICAL', 1, 1]]);

    await prisma.vehicle.update({ where: { id: critical.id }, data: { lastTelemetryAt: new Date(Date.now() - 3_600_000) } });
    await prisma.vehicle.update({ where: { id: soonEarly.id }, data: { lastTelemetryAt: new Date() } });
    await prisma.vehicle.update({ where: { id: center.vehicle.id }, data: { lastTelemetryAt: new Date(Date.now() - 30 * 3_600_000) } });
    await prisma.rejectedMessage.createMany({
      data: [
        rejected({ serviceCenterId: center.center.id, hoursAgo: 1 }),
        rejected({ serviceCenterId: center.center.id, hoursAgo: 23 }),
        rejected({ vehicleId: critical.id, hoursAgo: 2 }),
        rejected({ serviceCenterId: center.center.id, hoursAgo: 48 }),
        rejected({ serviceCenterId: otherCenter.center.id, vehicleId: foreign.id, hoursAgo: 1 }),
      ],
    });
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  describe('attention', () => {
    it("lists the center's vehicles at SOON or worse: worst risk first, then earliest due date", async () => {
      const response = await get('/api/v1/dashboard/attention', center.staff.email);

      expect(response.status).toBe(200);
      expect(response.body.risk).toBe('SOON');
      expect(response.body.items.map((item: { vin: string }) => item.vin)).toEqual([vins.CRIT, vins.URG, vins['SOON-EARLY'], vins['SOON-LATE']]);
    });

    it('gives each vehicle its owner contact and only its worst components, with explanation and due date', async () => {
      const response = await get('/api/v1/dashboard/attention?risk=SOON', center.staff.email);
      const soonLate = response.body.items.find((item: { vin: string }) => item.vin === vins['SOON-LATE']);

      expect(soonLate).toMatchObject({
        make: 'Geely',
        model: 'SOON-LATE',
        plate: '鲁B·SOON-LATE',
        owner: { name: center.owner.name, phone: '+86 532 8888 1234', email: center.owner.email },
        risk: 'SOON',
        dueAt: expect.any(String),
      });
      expect(new Date(soonLate.dueAt).getTime()).toBeLessThan(inDays(11).getTime());
      expect(soonLate.components.map((c: { component: string }) => c.component)).toEqual(['ENGINE_COOLING', 'TIRES']);
      expect(soonLate.components[0]).toMatchObject({ risk: 'SOON', health: 50, explanation: 'SOON-LATE ENGINE_COOLING is SOON' });
    });

    it('widens to WATCH on request and honours limit', async () => {
      const watch = await get('/api/v1/dashboard/attention?risk=WATCH', center.staff.email);
      const top = await get('/api/v1/dashboard/attention?limit=1', center.staff.email);

      expect(watch.body.items.map((item: { vin: string }) => item.vin).at(-1)).toBe(vins.WATCH);
      expect(watch.body.items).toHaveLength(5);
      expect(top.body.items.map((item: { vin: string }) => item.vin)).toEqual([vins.CRIT]);
    });

    it("never shows another center's vehicles, and answers 403 to owners", async () => {
      const other = await get('/api/v1/dashboard/attention?risk=OK', otherCenter.staff.email);
      const owner = await get('/api/v1/dashboard/attention', center.owner.email);

      expect(other.body.items.map((item: { vin: string }) => item.vin)).toEqual([vins.FOREIGN]);
      expect(owner.status).toBe(403);
    });

    it('answers 400 for an unknown risk', async () => {
      const response = await get('/api/v1/dashboard/attention?risk=BAD', center.staff.email);

      expect(response.status).toBe(400);
      expect(response.body.issues[0].path).toBe('risk');
    });
  });

  describe('summary', () => {
    it("counts the center's vehicles by worst risk, those reporting and the messages rejected in the last 24 h", async () => {
      const response = await get('/api/v1/dashboard/summary', center.staff.email);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        serviceCenterId: center.center.id,
        vehicles: 6,
        // The tenant's own vehicle has no predictions yet.
        byRisk: { OK: 0, WATCH: 1, SOON: 2, URGENT: 1, CRITICAL: 1, NOT_SCORED: 1 },
        reportingLast24h: 2,
        rejectedLast24h: 3,
      });
    });

    it("counts only the other center's own vehicles and rejections for its staff", async () => {
      const response = await get('/api/v1/dashboard/summary', otherCenter.staff.email);

      expect(response.body).toMatchObject({
        vehicles: 2,
        byRisk: { CRITICAL: 1, NOT_SCORED: 1 },
        reportingLast24h: 0,
        rejectedLast24h: 1,
      });
    });

    it('is computed once per TTL for every replica (in Redis) and is never older than the TTL', async () => {
      const tenant = await createTenant(prisma, 'dashboard-summary-cache');
      const first = await get('/api/v1/dashboard/summary', tenant.staff.email);
      const firstAt = Date.parse(first.body.generatedAt as string);
      expect(first.body).toMatchObject({ vehicles: 1, byRisk: { NOT_SCORED: 1 } });
      const key = `${app.get<AppConfig>(APP_CONFIG).queuePrefix}:dashboard-summary:${tenant.center.id}`;
      const redis = createRedisConnection(app.get<AppConfig>(APP_CONFIG).redisUrl);
      const ttlLeft = await redis.pttl(key).finally(() => redis.quit());
      expect(ttlLeft).toBeGreaterThan(0);
      expect(ttlLeft).toBeLessThanOrEqual(SUMMARY_TTL_MS);

      // A car scored CRITICAL right after: the cached answer does not show it yet...
      await vehicleWith(tenant, 'LATE', [['BATTERY', 'CRITICAL', 1, 5]]);
      const cached = await get('/api/v1/dashboard/summary', tenant.staff.email);
      if (Date.now() - firstAt < SUMMARY_TTL_MS) expect(cached.body).toEqual(first.body);

      // ...and an answer that does comes within the TTL (polled, with a deadline for a loaded machine).
      let latest = cached;
      const deadline = Date.now() + SUMMARY_TTL_MS + 10_000;
      while ((latest.body as { vehicles: number }).vehicles !== 2 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        latest = await get('/api/v1/dashboard/summary', tenant.staff.email);
        // Whatever it says, it was computed within the TTL before it was asked.
        expect(Date.now() - Date.parse(latest.body.generatedAt as string)).toBeLessThanOrEqual(SUMMARY_TTL_MS + 2_000);
      }
      expect(latest.body).toMatchObject({ vehicles: 2, byRisk: { CRITICAL: 1, NOT_SCORED: 1 } });
      // Recomputed ahead of expiry, once the entry is half its TTL old, not before.
      expect(Date.parse(latest.body.generatedAt as string) - firstAt).toBeGreaterThanOrEqual(SUMMARY_TTL_MS / 2 - 50);
    });
  });

  it('documents every new endpoint with its request body or query in the OpenAPI document', async () => {
    const response = await http().get('/docs-json').expect(200);
    const paths = response.body.paths as Record<string, Record<string, { requestBody?: unknown; parameters?: { name: string }[] }>>;

    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/vehicles/{vin}/health',
        '/api/v1/vehicles/{vin}/health/history',
        '/api/v1/vehicles/{vin}/inspections',
        '/api/v1/vehicles/{vin}/service-records',
        '/api/v1/dashboard/attention',
        '/api/v1/dashboard/summary',
      ]),
    );
    expect(paths['/api/v1/vehicles/{vin}/inspections']!.post!.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { tires: expect.any(Object), measuredAt: expect.any(Object) } } } },
    });
    expect(paths['/api/v1/vehicles/{vin}/service-records']!.post!.requestBody).toMatchObject({
      content: { 'application/json': { schema: { properties: { kind: { enum: expect.arrayContaining(['OIL_CHANGE']) } } } } },
    });
    expect(paths['/api/v1/dashboard/attention']!.get!.parameters!.map((p) => p.name)).toEqual(['risk', 'limit', 'view']);
    expect(paths['/api/v1/vehicles/{vin}/health/history']!.get!.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining(['component', 'from', 'to', 'limit', 'include']),
    );
  });
});
