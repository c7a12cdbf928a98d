import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { dayOf, noonDaysAgo, seedDrive, seedPrediction, type Tenant } from './chart-test.fixtures.js';

interface ChartsBody {
  vin: string;
  days: number;
  from: string;
  to: string;
  coolant: {
    warmDaily: { unit: string; points: [string, number][] };
    baselineC: number | null;
    dangerC: number;
    forecast: { expectedAt: string; earliestAt: string; latestAt: string; level: number | null } | null;
  };
  overheat: { thresholdC: number; episodesDaily: { unit: string; points: [string, number][] } };
  tires: {
    pressureBucketHours: number;
    pressureUnit: string;
    treadUnit: string;
    pressureTemperatureCorrected: boolean;
    wheels: {
      position: string;
      tread: [number, number][];
      inspections: [number, number][];
      projection: [number, number][] | null;
      pressure: [string, number][];
      leak: { code: string; risk: string } | null;
    }[];
  };
  fuel: { daily: { unit: string; points: [string, number][] }; degradation: { pct: number } | null };
  battery: { resting: { unit: string; points: [string, number][] }; cranking: { unit: string; points: [string, number][] } };
  health: { unit: string; components: { component: string; risk: string | null; points: [string, number][] }[] };
}

const DAY_MS = 86_400_000;

describe('GET /vehicles/{vin}/charts', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let tenant: Tenant;
  let other: Tenant;
  const now = new Date();

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
    tenant = await createTenant(prisma, 'charts');
    other = await createTenant(prisma, 'charts-other');
    const vehicleId = tenant.vehicle.id;

    await seedDrive(prisma, vehicleId, noonDaysAgo(now, 100), { minutes: 40, warmC: 88 });
    await seedDrive(prisma, vehicleId, noonDaysAgo(now, 3), { minutes: 40, warmC: 92 });
    // Two episodes: minutes 20-21 (one, contiguous) and minute 30.
    await seedDrive(prisma, vehicleId, noonDaysAgo(now, 1), { minutes: 40, warmC: 95, overheatMinutes: [20, 21, 30] });

    for (const [daysAgo, tread, odometerKm] of [
      [5, 5.0, 41_000],
      [3, 4.9, 41_500],
      [1, 4.8, 42_000],
    ] as const) {
      for (let hour = 0; hour < 3; hour++) {
        const ts = new Date(noonDaysAgo(now, daysAgo).getTime() + hour * 3_600_000);
        await prisma.tireReading.createMany({
          data: [
            { vehicleId, position: 'FL', ts, source: 'DEVICE', odometerKm, treadMm: tread, pressureKpa: 230 + hour },
            { vehicleId, position: 'FR', ts, source: 'DEVICE', odometerKm, treadMm: tread, pressureKpa: 220 - daysAgo },
          ],
        });
      }
    }
    await prisma.tireReading.create({
      data: { vehicleId, position: 'FL', ts: new Date(now.getTime() - 10 * DAY_MS), source: 'INSPECTION', odometerKm: 40_000, treadMm: 5.2 },
    });

    await seedPrediction(prisma, vehicleId, 'ENGINE_COOLING', {
      scoredAt: new Date(now.getTime() - 3_600_000),
      evidence: { baseline: { medianC: 90, madC: 0.8 }, dangerC: 105, forecastDaysToDanger: { eta: 20, low: 12, high: 40 } },
      confidence: { kind: 'interval', unit: 'days', level: 0.8, low: 12, high: 40 },
      risk: 'WATCH',
      health: 75,
    });
    await seedPrediction(prisma, vehicleId, 'TIRES', {
      scoredAt: new Date(now.getTime() - 3_600_000),
      evidence: { currentOdometerKm: 42_000, wheels: { FL: { kmTo3mm: 18_000, kmTo1_6mm: 32_000 }, FR: { kmTo3mm: null, kmTo1_6mm: null } } },
      findings: [{ code: 'TIRE_SLOW_LEAK', subject: 'FR', risk: 'SOON', message: 'FR is losing air.', params: {} }],
      risk: 'SOON',
      health: 60,
    });
    await seedPrediction(prisma, vehicleId, 'FUEL_ECONOMY', {
      scoredAt: new Date(now.getTime() - 2 * DAY_MS),
      evidence: {
        dailyRatios: [
          { day: dayOf(new Date(now.getTime() - 40 * DAY_MS)), ratio: 1.0 },
          { day: dayOf(new Date(now.getTime() - 3 * DAY_MS)), ratio: 1.02 },
        ],
      },
      health: 80,
    });
    await seedPrediction(prisma, vehicleId, 'FUEL_ECONOMY', {
      scoredAt: now,
      evidence: {
        dailyRatios: [
          { day: dayOf(new Date(now.getTime() - 3 * DAY_MS)), ratio: 1.05 },
          { day: dayOf(new Date(now.getTime() - DAY_MS)), ratio: 1.08 },
        ],
        degradationPct: { value: 6, low90: 2, high90: 10 },
      },
      health: 85,
    });
    await seedPrediction(prisma, vehicleId, 'BATTERY', {
      scoredAt: new Date(now.getTime() - 60_000),
      evidence: { daily: [{ day: dayOf(new Date(now.getTime() - DAY_MS)), restingV: 12.4, crankDipV: 10.2, chargingV: 14.1 }] },
    });
  });

  afterAll(async () => {
    await app.close();
  });

  async function charts(email: string, query = ''): Promise<request.Response> {
    const token = await tokenFor(app, email);
    return request(app.getHttpServer() as Server)
      .get(`/api/v1/vehicles/${tenant.vehicle.vin}/charts${query}`)
      .set('Authorization', `Bearer ${token}`);
  }

  it("gives staff of the vehicle's center 90 days by default, each series with its unit", async () => {
    const response = await charts(tenant.staff.email);
    expect(response.status).toBe(200);
    const body = response.body as ChartsBody;

    expect(body.days).toBe(90);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(90 * DAY_MS);
    expect(body.coolant.warmDaily.unit).toBe('°C');
    expect(body.overheat.episodesDaily.unit).toBe('episodes');
    expect(body.tires).toMatchObject({ treadUnit: 'mm', pressureUnit: 'kPa', pressureTemperatureCorrected: false, pressureBucketHours: 6 });
    expect(body.fuel.daily.unit).toBe('% of expected');
    expect(body.battery.resting.unit).toBe('V');
    expect(body.health.unit).toBe('score 0-100');
  });

  it('computes warm coolant per day (warm-up left out), overheating episodes per day, and leaves out what is older than the window', async () => {
    const body = (await charts(tenant.staff.email)).body as ChartsBody;
    const threeDaysAgo = dayOf(noonDaysAgo(now, 3));
    const yesterday = dayOf(noonDaysAgo(now, 1));

    expect(body.coolant.warmDaily.points).toEqual([
      [threeDaysAgo, 92],
      [yesterday, 95],
    ]);
    expect(body.overheat.episodesDaily.points).toEqual([
      [threeDaysAgo, 0],
      [yesterday, 2],
    ]);
    expect(body.overheat.thresholdC).toBe(105);
    expect(body.coolant.baselineC).toBe(90);
    expect(body.coolant.dangerC).toBe(105);
    const scoredAt = now.getTime() - 3_600_000;
    expect(body.coolant.forecast).not.toBeNull();
    expect(Date.parse(body.coolant.forecast?.expectedAt ?? '') - scoredAt).toBe(20 * DAY_MS);
    expect(Date.parse(body.coolant.forecast?.earliestAt ?? '') - scoredAt).toBe(12 * DAY_MS);
    expect(Date.parse(body.coolant.forecast?.latestAt ?? '') - scoredAt).toBe(40 * DAY_MS);
    expect(body.coolant.forecast?.level).toBe(0.8);

    const longer = (await charts(tenant.staff.email, '?days=120')).body as ChartsBody;
    expect(longer.coolant.warmDaily.points[0]).toEqual([dayOf(noonDaysAgo(now, 100)), 88]);
    expect(longer.tires.pressureBucketHours).toBe(8);
  });

  it('gives tread per wheel against the odometer with inspections and the projection to 3.0 and 1.6 mm, and pressure with the leak marked', async () => {
    const body = (await charts(tenant.staff.email)).body as ChartsBody;
    const fl = body.tires.wheels.find((w) => w.position === 'FL');
    const fr = body.tires.wheels.find((w) => w.position === 'FR');

    expect(body.tires.wheels.map((w) => w.position)).toEqual(['FL', 'FR', 'RL', 'RR']);
    expect(fl?.tread).toEqual([
      [41_000, 5],
      [41_500, 4.9],
      [42_000, 4.8],
    ]);
    expect(fl?.inspections).toEqual([[40_000, 5.2]]);
    expect(fl?.projection).toEqual([
      [42_000, 4.8],
      [60_000, 3],
      [74_000, 1.6],
    ]);
    expect(fr?.projection).toBeNull();
    // Three hourly readings per day fall into one 6-hour bucket: their median.
    expect(fl?.pressure.map(([, kpa]) => kpa)).toEqual([231, 231, 231]);
    expect(fr?.pressure.map(([, kpa]) => kpa)).toEqual([215, 217, 219]);
    expect(fr?.leak).toEqual({ code: 'TIRE_SLOW_LEAK', risk: 'SOON', message: 'FR is losing air.' });
    expect(fl?.leak).toBeNull();
  });

  it("rebuilds fuel use and battery series from the models' daily figures, the newest score winning, and health per component per day", async () => {
    const body = (await charts(tenant.staff.email)).body as ChartsBody;
    const d = (daysAgo: number) => dayOf(new Date(now.getTime() - daysAgo * DAY_MS));

    expect(body.fuel.daily.points).toEqual([
      [d(40), 100],
      [d(3), 105],
      [d(1), 108],
    ]);
    expect(body.fuel.degradation).toMatchObject({ pct: 6 });
    expect(body.battery.resting.points).toEqual([[d(1), 12.4]]);
    expect(body.battery.cranking.points).toEqual([[d(1), 10.2]]);
    const fuelHealth = body.health.components.find((c) => c.component === 'FUEL_ECONOMY');
    expect(fuelHealth?.points).toEqual([
      [d(2), 80],
      [dayOf(now), 85],
    ]);
    expect(body.health.components.map((c) => c.component)).toEqual(['ENGINE_COOLING', 'FUEL_ECONOMY', 'TIRES', 'BATTERY']);
  });

  it('answers the owner of the car, and 404 to the staff and the owner of another center', async () => {
    expect((await charts(tenant.owner.email, '?days=30')).status).toBe(200);
    const staff = await charts(other.staff.email);
    const owner = await charts(other.owner.email);

    expect(staff.status).toBe(404);
    expect(owner.status).toBe(404);
    expect(JSON.stringify(staff.body)).not.toContain('°C');
  });

  it.each(['?days=0', '?days=366', '?days=abc', '?days=1.5', '?days=-3'])('refuses %s with a 400 naming `days`', async (query) => {
    const response = await charts(tenant.staff.email, query);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('days');
  });

  it('keeps a year of pressure within 400 points per wheel', async () => {
    const body = (await charts(tenant.staff.email, '?days=365')).body as ChartsBody;
    expect(body.tires.pressureBucketHours).toBe(24);
    expect(body.days).toBe(365);
  });

  it('documents the endpoint, its `days` bounds and its answer in OpenAPI', async () => {
    const document = (
      await request(app.getHttpServer() as Server)
        .get('/docs-json')
        .expect(200)
    ).body as {
      paths: Partial<
        Record<
          string,
          {
            get?: {
              parameters?: { name: string; schema?: { maximum?: number } }[];
              responses?: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }>;
            };
          }
        >
      >;
    };
    const operation = document.paths['/api/v1/vehicles/{vin}/charts']?.get;
    expect(operation?.parameters?.find((p) => p.name === 'days')?.schema?.maximum).toBe(365);
    expect(Object.keys(operation?.responses?.['200']?.content?.['application/json']?.schema?.properties ?? {})).toEqual(
      expect.arrayContaining(['coolant', 'overheat', 'tires', 'fuel', 'battery', 'health']),
    );
    expect(document.paths['/api/v1/dashboard/charts/risk-by-component']?.get).toBeDefined();
  });
});

describe('GET /dashboard/charts/risk-by-component', () => {
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
  });

  afterAll(async () => {
    await app.close();
  });

  it("counts the center's vehicles per component and current risk, for staff only", async () => {
    const tenant = await createTenant(prisma, 'charts-fleet');
    const second = await prisma.vehicle.create({
      data: {
        vin: `${tenant.vehicle.vin.slice(0, 16)}${tenant.vehicle.vin.endsWith('X') ? 'Y' : 'X'}`,
        make: 'BYD',
        model: 'Qin',
        year: 2022,
        serviceCenterId: tenant.center.id,
        ownerId: tenant.owner.id,
      },
    });
    await seedPrediction(prisma, tenant.vehicle.id, 'TIRES', { scoredAt: new Date(), evidence: {}, risk: 'SOON' });
    await seedPrediction(prisma, second.id, 'TIRES', { scoredAt: new Date(), evidence: {}, risk: 'OK' });
    await seedPrediction(prisma, second.id, 'BATTERY', { scoredAt: new Date(), evidence: {}, risk: 'WATCH' });
    const outsider = await createTenant(prisma, 'charts-fleet-other');
    await seedPrediction(prisma, outsider.vehicle.id, 'TIRES', { scoredAt: new Date(), evidence: {}, risk: 'SOON' });

    const token = await tokenFor(app, tenant.staff.email);
    const response = await request(app.getHttpServer() as Server)
      .get('/api/v1/dashboard/charts/risk-by-component')
      .set('Authorization', `Bearer ${token}`)
      .expect(200);
    const body = response.body as { unit: string; components: { component: string; byRisk: Record<string, number> }[] };

    expect(body.unit).toBe('vehicles');
    expect(body.components.find((c) => c.component === 'TIRES')?.byRisk).toEqual({ OK: 1, WATCH: 0, SOON: 1, URGENT: 0, CRITICAL: 0 });
    expect(body.components.find((c) => c.component === 'BATTERY')?.byRisk).toEqual({ OK: 0, WATCH: 1, SOON: 0, URGENT: 0, CRITICAL: 0 });
    expect(body.components.find((c) => c.component === 'ENGINE_COOLING')?.byRisk).toEqual({ OK: 0, WATCH: 0, SOON: 0, URGENT: 0, CRITICAL: 0 });

    const ownerToken = await tokenFor(app, tenant.owner.email);
    await request(app.getHttpServer() as Server)
      .get('/api/v1/dashboard/charts/risk-by-component')
      .set('Authorization', `Bearer ${ownerToken}`)
      .expect(403);
  });
});
