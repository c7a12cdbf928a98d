import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { ClientProxyFactory } from '@nestjs/microservices';
import type { PrismaClient } from '#app/database';
import { type InAppEvent, TransportInAppEventBus } from '#app/notifications';
import { redisTransportOptions } from '#app/queue';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { ScratchRedis } from '../support/scratch-servers.js';
import { SseReader } from '../support/sse-reader.js';
import { uniquePrefix } from './reminder-test.fixtures.js';

/** Emits until the stream shows the event: the transport resubscribes within its 1 s retry delay. */
async function emitUntilHeard(bus: TransportInAppEventBus, audience: string, stream: SseReader, title: string): Promise<void> {
  const event: InAppEvent = { type: 'reminder', title, text: '', data: {}, at: new Date().toISOString() };
  const deadline = Date.now() + 15_000;
  for (;;) {
    await bus.publish(audience, event).catch(() => undefined);
    const heard = await stream
      .next((frame) => frame.includes(title), 500)
      .then(
        () => true,
        () => false,
      );
    if (heard) return;
    if (Date.now() > deadline) throw new Error(`"${title}" never reached the stream`);
  }
}

/**
 * The API's live-events transport and a Redis of this file's own that is down when the API starts and killed
 * again later: the API starts anyway (as it does for everything else that needs Redis), and its SSE streams
 * get events once Redis is back, both times.
 */
describe('Live events while Redis comes and goes', () => {
  let redis: ScratchRedis;
  let app: INestApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    redis = await ScratchRedis.start();
    await redis.kill();
  });

  afterAll(async () => {
    await app?.close();
    await redis?.destroy();
  });

  it('starts the API without Redis and delivers events once Redis answers, and again after it restarts', async () => {
    const queuePrefix = uniquePrefix('redis-outage');
    ({ app, prisma } = await startApi((config) => ({ ...config, redisUrl: redis.url, queuePrefix })));
    await app.listen(0, '127.0.0.1');
    const tenant = await createTenant(prisma, 'events-outage');
    const token = await tokenFor(app, tenant.owner.email);
    const { port } = app.getHttpServer().address() as AddressInfo;
    const stream = await new Promise<SseReader>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/api/v1/me/events', headers: { Authorization: `Bearer ${token}` } }, (response) =>
        resolve(new SseReader(response)),
      ).on('error', reject);
    });
    const worker = new TransportInAppEventBus(ClientProxyFactory.create(redisTransportOptions(redis.url)), queuePrefix);
    try {
      await stream.next((frame) => frame.includes(': connected'));

      await redis.resume();
      await emitUntilHeard(worker, tenant.owner.id, stream, 'after the first start');

      await redis.kill();
      await redis.resume();
      await emitUntilHeard(worker, tenant.owner.id, stream, 'after a restart');
    } finally {
      stream.response.destroy();
      await worker.onApplicationShutdown().catch(() => undefined);
    }
  });
});
