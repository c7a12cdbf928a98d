import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, TEST_PASSWORD, tokenFor, uniqueEmail, uniqueVin } from './api-test.fixtures.js';

type Tenant = Awaited<ReturnType<typeof createTenant>>;

describe('API auth and vehicles', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let centerA: Tenant;
  let centerB: Tenant;

  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
    centerA = await createTenant(prisma, 'api-center-a');
    centerB = await createTenant(prisma, 'api-center-b');
  });

  afterAll(async () => {
    await app.close();
  });

  describe('POST /api/v1/auth/login', () => {
    it('returns a bearer token and the user for the right password', async () => {
      const response = await http()
        .post('/api/v1/auth/login')
        .send({ email: centerA.staff.email.toUpperCase(), password: TEST_PASSWORD })
        .expect(200);

      expect(response.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: expect.any(Number),
        user: {
          id: centerA.staff.id,
          email: centerA.staff.email,
          role: 'STAFF',
          name: centerA.staff.name,
          serviceCenterId: centerA.center.id,
        },
      });
      expect(response.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('answers 401 for a wrong password and for an unknown e-mail alike', async () => {
      const wrong = await http().post('/api/v1/auth/login').send({ email: centerA.owner.email, password: 'nope' }).expect(401);
      const unknown = await http()
        .post('/api/v1/auth/login')
        .send({ email: uniqueEmail('ghost'), password: 'nope' })
        .expect(401);

      expect(wrong.body.error).toBe('InvalidCredentialsError');
      expect(unknown.body.message).toBe(wrong.body.message);
    });

    it('answers 400 naming the field for a malformed body', async () => {
      const response = await http().post('/api/v1/auth/login').send({ email: 'not-an-email' }).expect(400);

      expect(response.body.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['email', 'password']);
    });

    it('refuses protected routes without a token or with a forged one', async () => {
      await http().get('/api/v1/vehicles').expect(401);
      await http().get('/api/v1/vehicles').set('Authorization', 'Bearer abc.def.ghi').expect(401);
    });
  });

  describe('GET /api/v1/vehicles/{vin}', () => {
    it('shows an owner their own vehicle with owner summary and odometer', async () => {
      const token = await tokenFor(app, centerA.owner.email);

      const response = await http().get(`/api/v1/vehicles/${centerA.vehicle.vin.toLowerCase()}`).set('Authorization', `Bearer ${token}`).expect(200);

      expect(response.body).toMatchObject({
        vin: centerA.vehicle.vin,
        make: 'Toyota',
        owner: { id: centerA.owner.id, email: centerA.owner.email, name: centerA.owner.name },
        odometerKm: 42_000,
        lastTelemetryAt: null,
      });
    });

    it("answers 404 (not 403) to an owner asking for another owner's vehicle", async () => {
      const token = await tokenFor(app, centerA.owner.email);

      const response = await http().get(`/api/v1/vehicles/${centerB.vehicle.vin}`).set('Authorization', `Bearer ${token}`).expect(404);

      expect(response.body.error).toBe('VehicleNotFoundError');
    });

    it("answers 404 to staff of center B asking for center A's vehicle, 200 to center A's staff", async () => {
      const staffB = await tokenFor(app, centerB.staff.email);
      const staffA = await tokenFor(app, centerA.staff.email);

      await http().get(`/api/v1/vehicles/${centerA.vehicle.vin}`).set('Authorization', `Bearer ${staffB}`).expect(404);
      await http().get(`/api/v1/vehicles/${centerA.vehicle.vin}`).set('Authorization', `Bearer ${staffA}`).expect(200);
    });
  });

  describe('POST /api/v1/vehicles', () => {
    const newVehicle = (overrides: Record<string, unknown> = {}) => ({
      vin: uniqueVin().toLowerCase(),
      make: 'BYD',
      model: 'Qin DM-i',
      year: 2024,
      fuelType: 'HYBRID',
      plate: '鲁B·12345',
      ownerEmail: uniqueEmail('new-owner'),
      ownerName: 'Wang Fang',
      ...overrides,
    });

    it("creates the vehicle in the staff member's center and the new owner with a one-time password", async () => {
      const token = await tokenFor(app, centerA.staff.email);
      const body = newVehicle();

      const response = await http().post('/api/v1/vehicles').set('Authorization', `Bearer ${token}`).send(body).expect(201);

      expect(response.body).toMatchObject({
        vin: body.vin.toUpperCase(),
        serviceCenterId: centerA.center.id,
        fuelType: 'HYBRID',
        owner: { email: body.ownerEmail, name: 'Wang Fang' },
      });
      expect(response.body.ownerInitialPassword).toEqual(expect.any(String));
      // The new owner can log in with it and sees the car.
      const ownerToken = await tokenFor(app, body.ownerEmail, response.body.ownerInitialPassword);
      const mine = await http().get('/api/v1/vehicles').set('Authorization', `Bearer ${ownerToken}`).expect(200);
      expect(mine.body.items.map((v: { vin: string }) => v.vin)).toEqual([body.vin.toUpperCase()]);
    });

    it('links an existing owner without handing out a password', async () => {
      const token = await tokenFor(app, centerA.staff.email);

      const response = await http()
        .post('/api/v1/vehicles')
        .set('Authorization', `Bearer ${token}`)
        .send(newVehicle({ ownerEmail: centerA.owner.email }))
        .expect(201);

      expect(response.body.owner.id).toBe(centerA.owner.id);
      expect(response.body).not.toHaveProperty('ownerInitialPassword');
    });

    it('answers 409 for a VIN already registered, even in another center', async () => {
      const token = await tokenFor(app, centerA.staff.email);

      const response = await http()
        .post('/api/v1/vehicles')
        .set('Authorization', `Bearer ${token}`)
        .send(newVehicle({ vin: centerB.vehicle.vin }))
        .expect(409);

      expect(response.body.error).toBe('DuplicateVinError');
    });

    it('answers 400 with a clear message for an invalid VIN', async () => {
      const token = await tokenFor(app, centerA.staff.email);

      const response = await http()
        .post('/api/v1/vehicles')
        .set('Authorization', `Bearer ${token}`)
        .send(newVehicle({ vin: 'LCHDEMO0000000001' }))
        .expect(400);

      expect(response.body.message).toBe('vin: VIN must be 17 letters and digits, without I, O or Q');
    });

    it('answers 403 to an owner', async () => {
      const token = await tokenFor(app, centerA.owner.email);

      await http().post('/api/v1/vehicles').set('Authorization', `Bearer ${token}`).send(newVehicle()).expect(403);
    });
  });

  describe('GET /api/v1/vehicles', () => {
    it("pages through exactly the staff center's vehicles by cursor and by offset", async () => {
      const tenant = await createTenant(prisma, 'api-paging');
      for (let i = 0; i < 4; i += 1) {
        await prisma.vehicle.create({
          data: { vin: uniqueVin(), make: 'Geely', model: 'Emgrand', year: 2022, serviceCenterId: tenant.center.id, ownerId: tenant.owner.id },
        });
      }
      const token = await tokenFor(app, tenant.staff.email);
      const expected = (await prisma.vehicle.findMany({ where: { serviceCenterId: tenant.center.id }, orderBy: { vin: 'asc' } })).map((v) => v.vin);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: request.Response = await http()
          .get('/api/v1/vehicles')
          .query(cursor ? { limit: 2, cursor } : { limit: 2 })
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        seen.push(...page.body.items.map((v: { vin: string }) => v.vin));
        cursor = page.body.nextCursor;
      } while (cursor);
      const byOffset = await http().get('/api/v1/vehicles').query({ limit: 2, offset: 3 }).set('Authorization', `Bearer ${token}`).expect(200);

      expect(seen).toEqual(expected);
      expect(byOffset.body.items.map((v: { vin: string }) => v.vin)).toEqual(expected.slice(3, 5));
    });

    it('answers 400 for a limit out of range', async () => {
      const token = await tokenFor(app, centerA.owner.email);

      const response = await http().get('/api/v1/vehicles?limit=5000').set('Authorization', `Bearer ${token}`).expect(400);

      expect(response.body.issues[0].path).toBe('limit');
    });
  });
});
