import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { sampleFor } from '../support/fixtures.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { discardSession, TelemetryPublisher, waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';

const TWO_HOURS = 2 * 3_600_000;
const MESSAGES = 60;

describe('A device whose clock runs 2 h ahead', () => {
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
  });

  afterAll(async () => {
    await app.close();
  });

  it('is still monitored over real MQTT: every sample stored on our clock, none refused, the offset shown by the API', async () => {
    const tag = randomUUID().slice(0, 8);
    const tenant = await createTenant(prisma, 'clock-skew');
    const ingestion = new IngestionProcess({
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: testEnv.redisUrl,
      MQTT_URL: testEnv.mqttUrl,
      MQTT_SHARE_GROUP: `test-${tag}`,
      INGEST_CLIENT_ID: `ingest-test-${tag}`,
      QUEUE_PREFIX: `test-${tag}`,
    });
    await ingestion.start();
    const publisher = await TelemetryPublisher.connect(testEnv.mqttUrl, `device-sim-${tag}`);
    try {
      // One sample a message, as a live dongle sends them, stamped by a clock 2 h ahead.
      const sentAt: number[] = [];
      for (let seq = 1; seq <= MESSAGES; seq++) {
        const now = Date.now();
        sentAt.push(now);
        await publisher.publish(tenant.vehicle.vin, JSON.stringify(sampleFor(seq, new Date(now + TWO_HOURS))));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }

      const stored = await waitFor(
        () => prisma.telemetrySample.findMany({ where: { vehicleId: tenant.vehicle.id }, orderBy: { seq: 'asc' }, select: { seq: true, ts: true } }),
        (rows) => rows.length >= MESSAGES,
        30_000,
      );
      const rejected = await prisma.rejectedMessage.count({ where: { vin: tenant.vehicle.vin } });

      expect(rejected).toBe(0);
      expect(stored.map((row) => Number(row.seq))).toEqual(Array.from({ length: MESSAGES }, (_, i) => i + 1));
      // Corrected to within the estimate's latency (whole seconds), not 2 h ahead.
      const errors = stored.map((row, i) => Math.abs(row.ts.getTime() - (sentAt[i] ?? 0)));
      expect(Math.max(...errors)).toBeLessThan(5_000);

      const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: tenant.vehicle.id } });
      expect(Math.abs((vehicle.deviceClockOffsetMs ?? 0) - TWO_HOURS)).toBeLessThanOrEqual(2_000);
      expect(vehicle.lastSampleTs?.getTime() ?? Number.POSITIVE_INFINITY).toBeLessThan(Date.now() + 5_000);

      const view = await request(app.getHttpServer())
        .get(`/api/v1/vehicles/${tenant.vehicle.vin}`)
        .set('Authorization', `Bearer ${await tokenFor(app, tenant.staff.email)}`)
        .expect(200);
      expect(view.body).toMatchObject({ deviceClockNote: 'device clock is 2 h fast (sample times corrected)' });
      expect(Math.abs((view.body as { deviceClockOffsetMs: number }).deviceClockOffsetMs - TWO_HOURS)).toBeLessThanOrEqual(2_000);
    } finally {
      await publisher.close();
      await ingestion.stop('SIGTERM');
      for (const index of [0, 1]) await discardSession(testEnv.mqttUrl, `ingest-test-${tag}-${index}`);
    }
  });
});
