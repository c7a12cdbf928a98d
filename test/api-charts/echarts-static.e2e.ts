import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from '../api/api-test.fixtures.js';

describe('ECharts served by the API at /vendor/echarts', () => {
  let app: INestApplication;

  beforeAll(async () => {
    ({ app } = await startApi());
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves the ES module build without a token, with the headers of the other static files', async () => {
    const response = await request(app.getHttpServer() as Server)
      .get('/vendor/echarts/echarts.esm.min.js')
      .expect(200);

    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['last-modified']).toBeDefined();
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.text).toContain('Apache Software Foundation');
    expect(response.text).toMatch(/export\s*\{/);
  });

  it('serves the UMD build too, and nothing outside the package or of a kind it does not serve', async () => {
    await request(app.getHttpServer() as Server)
      .get('/vendor/echarts/echarts.min.js')
      .expect(200);
    await request(app.getHttpServer() as Server)
      .get('/vendor/echarts/echarts.js.map')
      .expect(404);
    await request(app.getHttpServer() as Server)
      .get('/vendor/echarts/..%2F..%2F..%2Fpackage.json')
      .expect(404);
    await request(app.getHttpServer() as Server)
      .get('/vendor/echarts/missing.js')
      .expect(404);
  });
});
