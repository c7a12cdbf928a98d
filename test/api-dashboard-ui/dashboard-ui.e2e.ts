import type { INestApplication } from '@nestjs/common';
import type { PrismaClient } from '#app/database';
import request from 'supertest';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';

describe('Dashboard UI served by the API at /dashboard', () => {
  let app: INestApplication;
  let prisma: PrismaClient;
  let http: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    ({ app, prisma } = await startApi());
    http = app.getHttpServer();
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves the single page at GET /dashboard without a token, with its script and stylesheet', async () => {
    const response = await request(http).get('/dashboard').expect(200);

    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<script type="module" src="/dashboard/app.js"></script>');
    expect(response.text).toContain('<link rel="stylesheet" href="/dashboard/app.css" />');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('serves the same page at /dashboard/ and /dashboard/index.html', async () => {
    const root = await request(http).get('/dashboard').expect(200);
    const slash = await request(http).get('/dashboard/').expect(200);
    const index = await request(http).get('/dashboard/index.html').expect(200);

    expect(slash.text).toBe(root.text);
    expect(index.text).toBe(root.text);
  });

  it('serves the script as JavaScript and the stylesheet as CSS, without a token', async () => {
    const script = await request(http).get('/dashboard/app.js').expect(200);
    const style = await request(http).get('/dashboard/app.css').expect(200);

    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain("const API = '/api/v1'");
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(style.text).toContain('.risk-CRITICAL');
  });

  it('answers 404 for a file that is not there, a file kind it does not serve, and paths escaping the folder', async () => {
    await request(http).get('/dashboard/missing.js').expect(404);
    await request(http).get('/dashboard/notes.txt').expect(404);
    await request(http).get('/dashboard/..%2F..%2F..%2Fpackage.json').expect(404);
    await request(http).get('/dashboard/%2e%2e/src/main.ts').expect(404);
  });

  it('leaves the dashboard API under /api/v1 behind the bearer token', async () => {
    await request(http).get('/api/v1/dashboard/summary').expect(401);

    const { staff } = await createTenant(prisma, 'dashboard-ui');
    const token = await tokenFor(app, staff.email);
    const summary = await request(http).get('/api/v1/dashboard/summary').set('Authorization', `Bearer ${token}`).expect(200);
    expect(summary.body).toMatchObject({ vehicles: 1 });
  });
});
