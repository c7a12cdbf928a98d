import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { startApi } from '../api/api-test.fixtures.js';
import { createTenant, tokenFor } from './api-health.fixtures.js';

// Nothing listens here: the queue is unreachable for the whole test.
const DEAD_REDIS = 'redis://127.0.0.1:1';

describe('Rescore requests while Redis is down', () => {
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    ({ app, prisma } = await startApi((config) => ({ ...config, redisUrl: DEAD_REDIS })));
  });

  afterAll(async () => {
    await app.close();
  });

  it('still records the inspection, answers 201 with rescore deferred, and leaves the vehicle on the reconciler list', async () => {
    const tenant = await createTenant(prisma, 'rescore-no-redis');
    const startedAt = Date.now();

    const response = await request(app.getHttpServer())
      .post(`/api/v1/vehicles/${tenant.vehicle.vin}/inspections`)
      .set('Authorization', `Bearer ${await tokenFor(app, tenant.staff.email)}`)
      .send({ measuredAt: new Date().toISOString(), odometerKm: 42_100, tires: { FL: { treadMm: 4 } } });

    expect(response.status).toBe(201);
    expect(response.body.rescore).toBe('deferred');
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(await prisma.tireReading.count({ where: { inspectionId: response.body.inspectionId } })).toBe(1);
    const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: tenant.vehicle.id } });
    expect(vehicle.scoredVersion < vehicle.telemetryVersion).toBe(true);
  });

  it('still answers a metrics scrape: the Postgres gauges are there, the queue gauge has no series', async () => {
    // Each source that does not answer within a second is left out, so the scrape answers well inside
    // Prometheus' 10 s timeout (and this test's 5 s).
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);

    expect(response.text).toContain('# ingestion metrics unavailable');
    expect(response.text).toMatch(/^carhealth_vehicles_behind_telemetry \d+$/m);
    expect(response.text).toMatch(/^carhealth_notification_deliveries\{status="SENT"\} \d+$/m);
    expect(response.text).not.toMatch(/^carhealth_queue_jobs\{/m);
  });
});
