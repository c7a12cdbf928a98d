import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient, Risk } from '#app/database';
import { closeAll, predictionData, type ScoringJobs, startApiWithOwnQueue, syncWorstRisk } from '../api-health/api-health.fixtures.js';
import { createTenant, tokenFor, uniqueVin } from '../api/api-test.fixtures.js';

type Tenant = Awaited<ReturnType<typeof createTenant>>;
interface Attention {
  items: { vin: string; risk: Risk }[];
}

/** Short, so the test of the staleness bound waits about a second and a half. */
const TTL_MS = 1_500;
const DAY = 24 * 3_600_000;

describe('The call list page shared by a center for DASHBOARD_ATTENTION_TTL_SECONDS (GET /api/v1/dashboard/attention)', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let scoringJobs: ScoringJobs;
  let home: Tenant;
  let other: Tenant;
  let staffToken: string;
  let otherStaffToken: string;

  const http = () => request(app.getHttpServer());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  async function car(tenant: Tenant, risk: Risk) {
    const vehicle = await prisma.vehicle.create({
      data: { vin: uniqueVin(), make: 'Geely', model: 'Emgrand', year: 2020, serviceCenterId: tenant.center.id, ownerId: tenant.owner.id },
    });
    await prisma.prediction.create({ data: predictionData(vehicle.id, 'TIRES', { risk, dueAt: new Date(Date.now() + 10 * DAY) }) });
    await syncWorstRisk(prisma, vehicle.id);
    return vehicle;
  }

  async function attention(token = staffToken, query = 'risk=SOON&limit=500'): Promise<Attention> {
    const response = await http().get(`/api/v1/dashboard/attention?${query}`).set(as(token)).expect(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    return response.body as Attention;
  }
  const vinsOf = (list: Attention) => list.items.map((item) => item.vin);

  beforeAll(async () => {
    ({ app, prisma, scoringJobs } = await startApiWithOwnQueue('call-list-page', (config) => ({
      ...config,
      api: { ...config.api, callListPageTtlMs: TTL_MS },
    })));
    home = await createTenant(prisma, 'page-home');
    other = await createTenant(prisma, 'page-other');
    [staffToken, otherStaffToken] = await Promise.all([tokenFor(app, home.staff.email), tokenFor(app, other.staff.email)]);
  });

  afterAll(async () => {
    await closeAll(app, scoringJobs);
  });

  it("shows a car's new worst risk within the TTL, not later", async () => {
    const vehicle = await car(home, 'OK');
    expect(vinsOf(await attention())).not.toContain(vehicle.vin);
    const readAt = Date.now();

    await prisma.prediction.updateMany({ where: { vehicleId: vehicle.id }, data: { risk: 'URGENT' } });
    await syncWorstRisk(prisma, vehicle.id);
    // Within the TTL the page read before the change may still be answered; a query of its own is read now.
    const beforeExpiry = await attention();
    if (Date.now() - readAt < TTL_MS) expect(vinsOf(beforeExpiry)).not.toContain(vehicle.vin);
    expect(vinsOf(await attention(staffToken, 'risk=URGENT&limit=500'))).toContain(vehicle.vin);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, readAt + TTL_MS - Date.now()) + 50));
    expect(vinsOf(await attention())).toContain(vehicle.vin);
  });

  it('is read again at once after a call is recorded, so the called car leaves the list', async () => {
    // Each test asks a page of its own (another limit): a page an earlier test read may still be cached.
    const query = 'risk=SOON&limit=499';
    const vehicle = await car(home, 'SOON');
    expect(vinsOf(await attention(staffToken, query))).toContain(vehicle.vin);
    expect(vinsOf(await attention(staffToken, `${query}&view=handled`))).not.toContain(vehicle.vin);

    await http().post(`/api/v1/dashboard/call-list/${vehicle.vin}/outcomes`).set(as(staffToken)).send({ outcome: 'CALLED' }).expect(201);

    expect(vinsOf(await attention(staffToken, query))).not.toContain(vehicle.vin);
    expect(vinsOf(await attention(staffToken, `${query}&view=handled`))).toContain(vehicle.vin);
  });

  it("never answers a center with another center's page, for the same query at the same moment", async () => {
    const mine = await car(home, 'URGENT');
    const theirs = await car(other, 'URGENT');

    const query = 'risk=URGENT&limit=498';
    const [homeList, otherList] = await Promise.all([attention(staffToken, query), attention(otherStaffToken, query)]);

    expect(vinsOf(homeList)).toContain(mine.vin);
    expect(vinsOf(homeList)).not.toContain(theirs.vin);
    expect(vinsOf(otherList)).toContain(theirs.vin);
    expect(vinsOf(otherList)).not.toContain(mine.vin);
  });

  it('refuses bad queries with 400 and owners with 403, cached or not', async () => {
    await attention();
    await http().get('/api/v1/dashboard/attention?risk=BAD').set(as(staffToken)).expect(400);
    await http().get('/api/v1/dashboard/attention?limit=0').set(as(staffToken)).expect(400);
    await http()
      .get('/api/v1/dashboard/attention?risk=SOON&limit=500')
      .set(as(await tokenFor(app, home.owner.email)))
      .expect(403);
  });
});
