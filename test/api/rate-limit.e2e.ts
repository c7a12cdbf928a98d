import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AuthenticationService } from '#app/auth';
import type { AppConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { createTenant, startApi, TEST_PASSWORD } from './api-test.fixtures.js';

type Tenant = Awaited<ReturnType<typeof createTenant>>;

/** Counters of their own (keys live under the queue prefix): repeated runs and other files do not add up. */
const isolated =
  (rateLimit: Partial<AppConfig['rateLimit']> = {}) =>
  (config: AppConfig): AppConfig => ({
    ...config,
    queuePrefix: `rate-limit-${randomUUID().slice(0, 8)}`,
    rateLimit: { ...config.rateLimit, ...rateLimit },
  });

describe('API rate limits', () => {
  describe('login brute-force protection per account (10 failures in 15 minutes)', () => {
    let app: INestApplication;
    let prisma: PrismaClient;
    const http = () => request(app.getHttpServer());
    const login = (email: string, password: string) => http().post('/api/v1/auth/login').send({ email, password });

    beforeAll(async () => {
      // Every request comes from this test's one address: its own limit is tested below.
      ({ app, prisma } = await startApi(isolated({ login: { maxFailuresPerAccount: 10, maxFailuresPerIp: 1000, windowSeconds: 900 } })));
    });

    afterAll(async () => {
      await app.close();
    });

    it('refuses the 11th attempt within the window with 429 and Retry-After, even with the right password', async () => {
      const { owner, staff } = await createTenant(prisma, 'rl-lock');
      for (let i = 0; i < 10; i += 1) {
        const wrong = await login(owner.email, `wrong-${i}`).expect(401);
        expect(wrong.body).toEqual({ statusCode: 401, error: 'InvalidCredentialsError', message: 'Invalid e-mail or password' });
      }

      const locked = await login(owner.email, 'wrong-again').expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900);
      expect(locked.body).toEqual({ statusCode: 429, error: 'TooManyRequestsError', message: expect.stringMatching(/Too many failed logins/) });

      // The lock does not depend on the password (nothing to learn), nor on how the address is spelled.
      const right = await login(owner.email.toUpperCase(), TEST_PASSWORD).expect(429);
      expect(right.body.accessToken).toBeUndefined();

      // Another account from the same address is not locked.
      await login(staff.email, TEST_PASSWORD).expect(200);
    });

    it('resets the count on a correct login before the limit', async () => {
      const { owner } = await createTenant(prisma, 'rl-reset');
      for (let i = 0; i < 9; i += 1) await login(owner.email, 'nope').expect(401);
      await login(owner.email, TEST_PASSWORD).expect(200);

      for (let i = 0; i < 10; i += 1) await login(owner.email, 'nope').expect(401);
      await login(owner.email, 'nope').expect(429);
    });

    it('counts concurrent guesses atomically: no more than 10 reach the password check', async () => {
      const { owner } = await createTenant(prisma, 'rl-burst');
      const statuses = (await Promise.all(Array.from({ length: 25 }, () => login(owner.email, 'nope')))).map((r) => r.status);

      expect(statuses.filter((status) => status === 401)).toHaveLength(10);
      expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    });
  });

  describe('login protection per address', () => {
    let app: INestApplication;
    let prisma: PrismaClient;

    beforeAll(async () => {
      ({ app, prisma } = await startApi(isolated({ login: { maxFailuresPerAccount: 10, maxFailuresPerIp: 3, windowSeconds: 60 } })));
    });

    afterAll(async () => {
      await app.close();
    });

    it('refuses an address that failed on many accounts, and successful logins do not use up its budget', async () => {
      const { owner, staff } = await createTenant(prisma, 'rl-ip');
      const login = (email: string, password: string) => request(app.getHttpServer()).post('/api/v1/auth/login').send({ email, password });
      for (let i = 0; i < 5; i += 1) await login(staff.email, TEST_PASSWORD).expect(200);
      for (const email of ['ghost-1@test.carhealth.local', 'ghost-2@test.carhealth.local', 'ghost-3@test.carhealth.local']) {
        await login(email, 'nope').expect(401);
      }

      const locked = await login(owner.email, TEST_PASSWORD).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(60);
    });
  });

  describe('per-caller request limit (3 a minute)', () => {
    let app: INestApplication;
    let prisma: PrismaClient;
    let tenant: Tenant;
    const http = () => request(app.getHttpServer());

    beforeAll(async () => {
      ({ app, prisma } = await startApi(isolated({ requestsPerMinute: 3 })));
      tenant = await createTenant(prisma, 'rl-requests');
    });

    afterAll(async () => {
      await app.close();
    });

    // Issued directly: a login would spend the test's per-address budget of 3.
    const tokenOf = async (user: Tenant['owner']) =>
      (await app.get(AuthenticationService).signIn({ userId: user.id, role: user.role, serviceCenterId: user.serviceCenterId })).accessToken;

    it('answers 429 with Retry-After and the RateLimit headers over the limit; another user is unaffected', async () => {
      const owner = await tokenOf(tenant.owner);
      const staff = await tokenOf(tenant.staff);
      const asOwner = () => http().get('/api/v1/vehicles').set('Authorization', `Bearer ${owner}`);

      const first = await asOwner().expect(200);
      expect(first.headers['ratelimit-limit']).toBe('3');
      expect(first.headers['ratelimit-remaining']).toBe('2');
      expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
      await asOwner().expect(200);
      await asOwner().expect(200);

      const refused = await asOwner().expect(429);
      expect(refused.body).toEqual({ statusCode: 429, error: 'TooManyRequestsError', message: expect.stringMatching(/3 requests per minute/) });
      expect(refused.headers['ratelimit-limit']).toBe('3');
      expect(refused.headers['ratelimit-remaining']).toBe('0');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(120);
      expect(refused.headers['ratelimit-reset']).toBe(String(retryAfter));

      const other = await http().get('/api/v1/vehicles').set('Authorization', `Bearer ${staff}`).expect(200);
      expect(other.headers['ratelimit-remaining']).toBe('2');
    });

    it('never limits the health probes or the metrics scrape', async () => {
      for (let i = 0; i < 10; i += 1) {
        const live = await http().get('/health/live').expect(200);
        expect(live.headers['ratelimit-limit']).toBeUndefined();
        await http().get('/metrics').expect(200);
      }
    });

    it('limits unauthenticated callers by address', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await http().post('/api/v1/auth/login').send({ email: 'ghost@test.carhealth.local', password: 'x' })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    });
  });

  describe('with Redis unreachable', () => {
    let app: INestApplication;
    let prisma: PrismaClient;

    beforeAll(async () => {
      ({ app, prisma } = await startApi((config) => ({ ...isolated({ requestsPerMinute: 1 })(config), redisUrl: 'redis://127.0.0.1:1' })));
    });

    afterAll(async () => {
      await app.close();
    });

    it('keeps serving (fails open): logins and requests go through, a wrong password is still a 401', async () => {
      const { owner } = await createTenant(prisma, 'rl-no-redis');
      const http = () => request(app.getHttpServer());

      await http().post('/api/v1/auth/login').send({ email: owner.email, password: 'nope' }).expect(401);
      const response = await http().post('/api/v1/auth/login').send({ email: owner.email, password: TEST_PASSWORD }).expect(200);
      const token = (response.body as { accessToken: string }).accessToken;
      for (let i = 0; i < 3; i += 1) {
        const vehicles = await http().get('/api/v1/vehicles').set('Authorization', `Bearer ${token}`).expect(200);
        expect(vehicles.headers['ratelimit-limit']).toBeUndefined();
      }
    });
  });
});
