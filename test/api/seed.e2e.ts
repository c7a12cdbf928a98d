import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { DEMO_LOGINS, DEMO_SERVICE_CENTER, DEMO_VEHICLES, seedDemoData } from '../../prisma/seed.js';
import { startApi, tokenFor } from './api-test.fixtures.js';

describe(seedDemoData.name, () => {
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
  });

  afterAll(async () => {
    await app.close();
  });

  it('is idempotent: a second run changes nothing and keeps the ids', async () => {
    const first = await seedDemoData(prisma);
    const second = await seedDemoData(prisma);

    expect(second).toEqual(first);
    expect(await prisma.serviceCenter.count({ where: { name: DEMO_SERVICE_CENTER.name } })).toBe(1);
    expect(await prisma.vehicle.count({ where: { vin: { startsWith: 'LCHDEM' }, serviceCenterId: first.serviceCenterId } })).toBe(5);
  });

  it('gives the demo logins their documented passwords and the cars split between two owners', async () => {
    await seedDemoData(prisma);
    const staff = await tokenFor(app, DEMO_LOGINS.staff.email, DEMO_LOGINS.staff.password);
    const owner1 = await tokenFor(app, DEMO_LOGINS.owner1.email, DEMO_LOGINS.owner1.password);
    const owner2 = await tokenFor(app, DEMO_LOGINS.owner2.email, DEMO_LOGINS.owner2.password);
    const vins = async (token: string) =>
      (await request(app.getHttpServer()).get('/api/v1/vehicles').set('Authorization', `Bearer ${token}`).expect(200)).body.items
        .map((v: { vin: string }) => v.vin)
        .filter((vin: string) => vin.startsWith('LCHDEM'));

    expect(await vins(staff)).toEqual(['LCHDEM00000000001', 'LCHDEM00000000002', 'LCHDEM00000000003', 'LCHDEM00000000004', 'LCHDEM00000000005']);
    expect(await vins(owner1)).toEqual(DEMO_VEHICLES.filter((v) => v.owner === 'owner1').map((v) => v.vin));
    expect(await vins(owner2)).toEqual(DEMO_VEHICLES.filter((v) => v.owner === 'owner2').map((v) => v.vin));
    const byd = await prisma.vehicle.findUniqueOrThrow({ where: { vin: 'LCHDEM00000000005' } });
    expect(byd).toMatchObject({ make: 'BYD', model: 'Qin DM-i', fuelType: 'HYBRID' });
  });
});
