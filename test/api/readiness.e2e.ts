import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { startApi } from './api-test.fixtures.js';

describe('GET /health/ready with the broker unreachable', () => {
  let app: INestApplication;

  beforeAll(async () => {
    // Port 9 (discard) refuses connections here: an MQTT broker that is down.
    ({ app } = await startApi((config) => ({ ...config, mqtt: { ...config.mqtt, url: 'mqtt://127.0.0.1:9' } })));
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 503 naming the failed check, while liveness stays 200', async () => {
    const response = await request(app.getHttpServer()).get('/health/ready').expect(503);

    expect(response.body).toMatchObject({
      status: 'not_ready',
      checks: { postgres: { status: 'up' }, redis: { status: 'up' }, mqtt: { status: 'down', error: expect.any(String) } },
    });
    await request(app.getHttpServer()).get('/health/live').expect(200);
  });
});
