import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { closeAll, createTenant, type ScoringJobs, startApiWithOwnQueue, type Tenant, tokenFor } from './api-health.fixtures.js';

const HOUR_MS = 3_600_000;

describe('GET /api/v1/dashboard/silent', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;

  const silentFor = async (email: string) =>
    request(app.getHttpServer())
      .get('/api/v1/dashboard/silent')
      .set('Authorization', `Bearer ${await tokenFor(app, email)}`);
  const refuse = (tenant: Tenant, reason: string, detail: string, hoursAgo: number) =>
    prisma.rejectedMessage.create({
      data: {
        receivedAt: new Date(Date.now() - hoursAgo * HOUR_MS),
        topic: `vehicles/${tenant.vehicle.vin}/telemetry`,
        vin: tenant.vehicle.vin,
        vehicleId: tenant.vehicle.id,
        serviceCenterId: tenant.center.id,
        reason,
        detail,
        payloadBytes: 80,
        payloadExcerpt: '{"ts":"...","seq":1}',
        messageHash: randomUUID(),
      },
    });

  beforeAll(async () => {
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('dashboard-silent'));
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  it('lists a car whose messages were all refused for a day, with the latest reason, only to its own center', async () => {
    const tenant = await createTenant(prisma, 'silent');
    const other = await createTenant(prisma, 'silent-other');
    await refuse(tenant, 'CLOCK_IN_FUTURE', 'ts is 2 h ahead of the receive time', 3);
    await refuse(tenant, 'OUT_OF_RANGE', 'coolantTempC 400 is outside -40..215', 1);
    // A car that is refused now and then but still sends usable telemetry is not silent.
    await prisma.vehicle.update({ where: { id: other.vehicle.id }, data: { lastTelemetryAt: new Date() } });
    await refuse(other, 'OUT_OF_RANGE', 'speedKph 400 is outside 0..300', 1);

    const mine = await silentFor(tenant.staff.email);
    const theirs = await silentFor(other.staff.email);

    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      items: [
        expect.objectContaining({
          vin: tenant.vehicle.vin,
          lastTelemetryAt: null,
          rejectedLast24h: 2,
          lastReason: 'OUT_OF_RANGE',
          lastDetail: 'coolantTempC 400 is outside -40..215',
        }),
      ],
    });
    expect(theirs.body).toEqual({ items: [] });
  });

  it('is for staff only', async () => {
    const tenant = await createTenant(prisma, 'silent-owner');

    expect((await silentFor(tenant.owner.email)).status).toBe(403);
  });
});
