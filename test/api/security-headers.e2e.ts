import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from './api-test.fixtures.js';
import { uniquePrefix } from '../api-reminders/reminder-test.fixtures.js';
import { documentedOperations, fillPath } from '../support/openapi-operations.js';

/** What helmet must put on every answer: API errors and successes, Swagger UI, the two web apps, probes. */
function expectSecurityHeaders(response: request.Response, where: string): void {
  const headers = response.headers as Record<string, string | undefined>;
  expect({ where, poweredBy: headers['x-powered-by'] }).toEqual({ where, poweredBy: undefined });
  expect({ where, nosniff: headers['x-content-type-options'] }).toEqual({ where, nosniff: 'nosniff' });
  expect({ where, frames: headers['x-frame-options'] }).toEqual({ where, frames: 'SAMEORIGIN' });
  // Helmet's policy, or a stricter one sent over it: the web apps' handler forbids framing altogether and
  // Express's own 404 page allows nothing (`default-src 'none'`); X-Frame-Options covers framing there.
  const csp = headers['content-security-policy'] ?? '';
  const policy =
    csp === "default-src 'none'"
      ? 'nothing allowed'
      : /frame-ancestors '(self|none)'/.test(csp) && csp.includes("script-src 'self'")
        ? 'scripts from self, no foreign frames'
        : csp;
  expect({ where, policy }).toEqual({ where, policy: expect.stringMatching(/^(nothing allowed|scripts from self, no foreign frames)$/) });
}

describe('security headers (helmet) on every answer of the API', () => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await startApi((config) => ({ ...config, queuePrefix: uniquePrefix('headers'), api: { ...config.api, trustProxyHops: 1 } })));
  });

  afterAll(async () => {
    await app.close();
  });

  it('sends them on every documented operation (no token: the 401 too), /docs, the apps, probes and unknown paths', async () => {
    const operations = await documentedOperations(app);
    const paths = ['/docs', '/docs/', '/docs-json', '/dashboard/', '/app/', '/health/live', '/metrics', '/no-such-page'];
    for (const path of paths) expectSecurityHeaders(await request(app.getHttpServer()).get(path), `GET ${path}`);
    for (const operation of operations.filter((op) => !op.path.endsWith('/events'))) {
      const path = fillPath(operation.path, { vin: 'LCHDEM00000000001', id: '00000000-0000-4000-8000-000000000000' });
      expectSecurityHeaders(await request(app.getHttpServer())[operation.method](path), `${operation.method.toUpperCase()} ${operation.path}`);
    }
    console.log(`[security-headers] checked ${paths.length + operations.length - 1} routes`);
  });

  it('sends HSTS only on a request that came over TLS (here: X-Forwarded-Proto from the trusted proxy)', async () => {
    const plain = await request(app.getHttpServer()).get('/health/live');
    const overTls = await request(app.getHttpServer()).get('/health/live').set('X-Forwarded-Proto', 'https');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(overTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
