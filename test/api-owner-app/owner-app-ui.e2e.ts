import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../api/api-test.fixtures.js';

// What the API serves at /app and with which headers. The page's behaviour in a browser is not run
// here (no browser in CI): sw.js and the helpers are run in Node by apps/api/owner-app/*.spec.ts.
describe('Owner web app served by the API at /app', () => {
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;

  beforeAll(async () => {
    ({ app } = await startApi());
    http = app.getHttpServer();
  });

  afterAll(async () => {
    await app.close();
  });

  it('redirects /app to /app/ (inside the service worker scope), keeping the query', async () => {
    const bare = await request(http).get('/app').expect(301);
    expect(bare.headers.location).toBe('/app/');
    const withQuery = await request(http).get('/app?lang=zh').expect(301);
    expect(withQuery.headers.location).toBe('/app/?lang=zh');
  });

  it('serves the page at /app/ without a token, with its module script, manifest and the security headers', async () => {
    const response = await request(http).get('/app/').expect(200);

    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.text).toContain('<script type="module" src="/app/app.js"></script>');
    expect(response.text).toContain('<link rel="manifest" href="/app/manifest.webmanifest" />');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect((await request(http).get('/app/index.html').expect(200)).text).toBe(response.text);
    expect((await request(http).get('/app').redirects(1).expect(200)).text).toBe(response.text);
  });

  it('serves the modules and the service worker as JavaScript, from under /app/ so no Service-Worker-Allowed is needed', async () => {
    for (const path of ['/app/app.js', '/app/model.js', '/app/push.js', '/app/i18n.js']) {
      const script = await request(http).get(path).expect(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    }
    const worker = await request(http).get('/app/sw.js').expect(200);
    expect(worker.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(worker.headers['service-worker-allowed']).toBeUndefined();
    expect(worker.headers['cache-control']).toBe('no-cache');
    expect(worker.text).toContain("worker.addEventListener('push'");
    expect((await request(http).get('/app/app.js')).text).toContain("const API = '/api/v1'");
  });

  it('serves the web app manifest as application/manifest+json, with start_url and scope /app/ and an SVG icon that is served', async () => {
    const response = await request(http).get('/app/manifest.webmanifest').expect(200);

    expect(response.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    const manifest = JSON.parse(response.text) as {
      start_url: string;
      scope: string;
      display: string;
      name: string;
      icons: { src: string; type: string }[];
    };
    expect(manifest).toMatchObject({ start_url: '/app/', scope: '/app/', display: 'standalone' });
    expect(manifest.name).toContain('Car Health');
    expect(manifest.icons.length).toBeGreaterThan(0);
    for (const icon of manifest.icons) {
      const served = await request(http).get(icon.src).expect(200);
      expect(served.headers['content-type']).toBe(icon.type);
    }
    expect((await request(http).get('/app/app.css').expect(200)).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for missing files, unserved kinds, the specs and type files, and paths escaping the folder', async () => {
    await request(http).get('/app/missing.js').expect(404);
    await request(http).get('/app/sw.spec.ts').expect(404);
    await request(http).get('/app/model.d.ts').expect(404);
    await request(http).get('/app/..%2F..%2F..%2Fpackage.json').expect(404);
    await request(http).get('/app/%2e%2e/public/app.js').expect(404);
    await request(http).get('/app/%2e%2e%2fsrc%2fmain.ts').expect(404);
    await request(http).get('/app/.env').expect(404);
  });

  it('leaves the dashboard where it was and the owner API behind the bearer token', async () => {
    await request(http).get('/dashboard').expect(200);
    await request(http).get('/api/v1/me/reminders').expect(401);
    await request(http).get('/api/v1/me/preferences').expect(401);
  });
});
