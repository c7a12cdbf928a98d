import { createHash, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, tokenFor } from './api-test.fixtures.js';

type Tenant = Awaited<ReturnType<typeof createTenant>>;

const MINUTE = 60_000;

describe('API telemetry, rejected messages, health, docs and metrics', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let tenant: Tenant;
  let other: Tenant;
  let ownerToken: string;
  // Ten samples, one per minute, starting on a whole 5-minute boundary an hour ago.
  const start = new Date(Math.floor((Date.now() - 60 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE);

  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
    tenant = await createTenant(prisma, 'api-telemetry');
    other = await createTenant(prisma, 'api-telemetry-other');
    await prisma.telemetrySample.createMany({
      data: Array.from({ length: 10 }, (_, i) => ({
        vehicleId: tenant.vehicle.id,
        seq: BigInt(i + 1),
        ts: new Date(start.getTime() + i * MINUTE),
        speedKph: 10 * (i + 1),
        coolantTempC: 80 + i,
        batteryV: 14,
        rpm: 1000 + 100 * i,
        odometerKm: 42_000 + i,
        dtcs: i === 9 ? ['P0128'] : [],
      })),
    });
    ownerToken = await tokenFor(app, tenant.owner.email);
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /api/v1/vehicles/{vin}/telemetry', () => {
    it('returns the raw samples of the last 24 h by default, oldest first', async () => {
      const response = await http().get(`/api/v1/vehicles/${tenant.vehicle.vin}/telemetry`).set('Authorization', `Bearer ${ownerToken}`).expect(200);

      expect(response.body.bucket).toBeNull();
      expect(response.body.truncated).toBe(false);
      expect(response.body.samples).toHaveLength(10);
      expect(response.body.samples[0]).toMatchObject({ seq: 1, speedKph: 10, ts: start.toISOString() });
      expect(response.body.samples[9]).toMatchObject({ seq: 10, speedKph: 100, dtcs: ['P0128'] });
    });

    it('keeps the newest samples when the window holds more than limit', async () => {
      const response = await http()
        .get(`/api/v1/vehicles/${tenant.vehicle.vin}/telemetry?limit=3`)
        .set('Authorization', `Bearer ${ownerToken}`)
        .expect(200);

      expect(response.body.truncated).toBe(true);
      expect(response.body.samples.map((s: { seq: number }) => s.seq)).toEqual([8, 9, 10]);
    });

    it('downsamples into 5-minute buckets with avg/min/max and max odometer', async () => {
      const response = await http()
        .get(`/api/v1/vehicles/${tenant.vehicle.vin}/telemetry`)
        .query({ bucket: '5m', from: new Date(start.getTime() - MINUTE).toISOString() })
        .set('Authorization', `Bearer ${ownerToken}`)
        .expect(200);

      expect(response.body.bucket).toBe('5m');
      expect(response.body.buckets).toEqual([
        {
          bucketStart: start.toISOString(),
          count: 5,
          speedKph: { avg: 30, min: 10, max: 50 },
          coolantTempC: { avg: 82, min: 80, max: 84 },
          fuelRateLph: { avg: null, min: null, max: null },
          batteryV: { avg: 14, min: 14, max: 14 },
          rpm: { avg: 1200, min: 1000, max: 1400 },
          odometerKmMax: 42_004,
        },
        {
          bucketStart: new Date(start.getTime() + 5 * MINUTE).toISOString(),
          count: 5,
          speedKph: { avg: 80, min: 60, max: 100 },
          coolantTempC: { avg: 87, min: 85, max: 89 },
          fuelRateLph: { avg: null, min: null, max: null },
          batteryV: { avg: 14, min: 14, max: 14 },
          rpm: { avg: 1700, min: 1500, max: 1900 },
          odometerKmMax: 42_009,
        },
      ]);
    });

    it('answers 400 for an unknown bucket and for from after to', async () => {
      const auth = { Authorization: `Bearer ${ownerToken}` };
      const url = `/api/v1/vehicles/${tenant.vehicle.vin}/telemetry`;

      await http().get(url).query({ bucket: '7m' }).set(auth).expect(400);
      const reversed = await http().get(url).query({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }).set(auth).expect(400);
      expect(reversed.body.message).toContain('`from` must be before `to`');
    });

    it("answers 404 for another owner's vehicle", async () => {
      await http().get(`/api/v1/vehicles/${other.vehicle.vin}/telemetry`).set('Authorization', `Bearer ${ownerToken}`).expect(404);
    });
  });

  describe('GET /api/v1/vehicles/{vin}/rejected', () => {
    const rejection = (vehicle: Tenant['vehicle'], reason: string, receivedAt: Date) => ({
      topic: `vehicles/${vehicle.vin}/telemetry`,
      vin: vehicle.vin,
      vehicleId: vehicle.id,
      serviceCenterId: vehicle.serviceCenterId,
      reason,
      detail: `${reason} detail`,
      payloadBytes: 20,
      payloadExcerpt: '{"speedKph": 999}',
      messageHash: createHash('sha256').update(randomUUID()).digest('hex'),
      receivedAt,
    });

    it('lists the rejections of the vehicle newest first, to its staff', async () => {
      await prisma.rejectedMessage.createMany({
        data: [
          rejection(tenant.vehicle, 'OUT_OF_RANGE', new Date(Date.now() - 2 * MINUTE)),
          rejection(tenant.vehicle, 'MALFORMED_JSON', new Date(Date.now() - MINUTE)),
          rejection(other.vehicle, 'OUT_OF_RANGE', new Date()),
        ],
      });
      const staffToken = await tokenFor(app, tenant.staff.email);

      const response = await http()
        .get(`/api/v1/vehicles/${tenant.vehicle.vin}/rejected?limit=10`)
        .set('Authorization', `Bearer ${staffToken}`)
        .expect(200);

      expect(response.body.items.map((r: { reason: string }) => r.reason)).toEqual(['MALFORMED_JSON', 'OUT_OF_RANGE']);
      expect(response.body.items[0]).toMatchObject({ detail: 'MALFORMED_JSON detail', payloadExcerpt: '{"speedKph": 999}' });
    });

    it("answers 404 for a vehicle of another center's staff", async () => {
      const otherStaff = await tokenFor(app, other.staff.email);

      await http().get(`/api/v1/vehicles/${tenant.vehicle.vin}/rejected`).set('Authorization', `Bearer ${otherStaff}`).expect(404);
    });
  });

  describe('operations', () => {
    it('GET /health/live answers 200', async () => {
      expect((await http().get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
    });

    it('GET /health/ready checks Postgres, Redis and the MQTT broker', async () => {
      const response = await http().get('/health/ready').expect(200);

      expect(response.body.status).toBe('ready');
      for (const check of ['postgres', 'redis', 'mqtt']) expect(response.body.checks[check].status).toBe('up');
    });

    it('GET /docs-json documents every endpoint, with the zod body schema', async () => {
      const response = await http().get('/docs-json').expect(200);
      const paths = response.body.paths as Record<string, Record<string, { requestBody?: unknown }>>;

      expect(Object.keys(paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/login',
          '/api/v1/vehicles',
          '/api/v1/vehicles/{vin}',
          '/api/v1/vehicles/{vin}/telemetry',
          '/api/v1/vehicles/{vin}/rejected',
          '/health/live',
          '/health/ready',
          '/metrics',
        ]),
      );
      expect(paths['/api/v1/vehicles']!.post!.requestBody).toMatchObject({
        content: { 'application/json': { schema: { required: expect.arrayContaining(['vin', 'ownerEmail']) } } },
      });
    });

    it('GET /docs serves the Swagger UI', async () => {
      const response = await http().get('/docs').redirects(1).expect(200);
      expect(response.text).toContain('swagger-ui');
    });

    it('GET /metrics exposes the API request counter and the ingest metric names', async () => {
      await http().get('/health/live');

      const response = await http().get('/metrics').expect(200);

      expect(response.headers['content-type']).toContain('text/plain');
      expect(response.text).toMatch(/carhealth_api_http_requests_total\{method="GET",route="\/health\/live",status="200"\} \d+/);
      expect(response.text).toContain('carhealth_api_process_cpu_seconds_total');
      for (const name of [
        'carhealth_ingest_messages_received_total',
        'carhealth_ingest_samples_stored_total',
        'carhealth_ingest_duplicates_total',
        'carhealth_ingest_rejected_total',
        'carhealth_ingest_batch_size_bucket',
        'carhealth_ingest_commit_lag_seconds_bucket',
      ]) {
        expect(response.text).toContain(name);
      }
    });

    it('GET /metrics reads the scoring backlog, deliveries by status and queue jobs at scrape time', async () => {
      const value = (text: string, series: string) =>
        Number(
          text
            .split('\n')
            .find((line) => line.startsWith(`${series} `))
            ?.slice(series.length + 1),
        );
      const before = (await http().get('/metrics').expect(200)).text;
      const behind = await createTenant(prisma, 'api-metrics');
      await prisma.vehicle.update({ where: { id: behind.vehicle.id }, data: { telemetryVersion: 1 } });

      const after = (await http().get('/metrics').expect(200)).text;

      expect(value(after, 'carhealth_vehicles_behind_telemetry') - value(before, 'carhealth_vehicles_behind_telemetry')).toBe(1);
      for (const status of ['PENDING', 'HELD', 'SENT', 'FAILED', 'GONE']) {
        expect(after).toMatch(new RegExp(`^carhealth_notification_deliveries\\{status="${status}"\\} \\d+$`, 'm'));
      }
      expect(value(after, 'carhealth_notification_oldest_due_seconds')).toBeGreaterThanOrEqual(0);
      expect(after).toMatch(/^carhealth_queue_jobs\{queue="scoring",state="waiting"\} \d+$/m);
      expect(after).toMatch(/^carhealth_queue_jobs\{queue="notifications",state="delayed"\} \d+$/m);
    });
  });
});
