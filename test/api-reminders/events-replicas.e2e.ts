import type { INestApplication } from '@nestjs/common';
import { ClientProxyFactory } from '@nestjs/microservices';
import request from 'supertest';
import type { PrismaClient } from '#app/database';
import { type InAppEvent, TransportInAppEventBus } from '#app/notifications';
import { redisTransportOptions } from '#app/queue';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { frameData, openEventStream } from '../support/sse-reader.js';
import { testEnv } from '../support/test-env.js';
import { createReminder, type Tenant, uniquePrefix } from './reminder-test.fixtures.js';

const dataOf = (frame: string) => frameData(frame) as Record<string, unknown>;

/**
 * Two API replicas (two hybrid Nest apps on one Redis), as a load balancer spreads users over them: an owner's
 * phone on one and laptop on the other both hear what the worker emits and what the other replica emits.
 */
describe('Live events across API replicas (Nest Redis transport)', () => {
  const queuePrefix = uniquePrefix('replicas');
  let replicaA: INestApplication;
  let replicaB: INestApplication;
  let prisma: PrismaClient;
  let tenant: Tenant;
  let token: string;
  const worker = new TransportInAppEventBus(ClientProxyFactory.create(redisTransportOptions(testEnv.redisUrl)), queuePrefix);

  beforeAll(async () => {
    [{ app: replicaA, prisma }, { app: replicaB }] = await Promise.all([
      startApi((config) => ({ ...config, queuePrefix })),
      startApi((config) => ({ ...config, queuePrefix })),
    ]);
    await Promise.all([replicaA.listen(0, '127.0.0.1'), replicaB.listen(0, '127.0.0.1')]);
    tenant = await createTenant(prisma, 'replicas');
    token = await tokenFor(replicaA, tenant.owner.email);
  });

  afterAll(async () => {
    await worker.onApplicationShutdown();
    await Promise.all([replicaA.close(), replicaB.close()]);
  });

  it("streams the worker's event to the owner's sessions on both replicas", async () => {
    const [phone, laptop] = await Promise.all([openEventStream(replicaA, token), openEventStream(replicaB, token)]);
    try {
      await Promise.all([phone, laptop].map((stream) => stream.next((frame) => frame.includes(': connected'))));
      const event: InAppEvent = {
        type: 'reminder',
        title: 'Tyre FL worn',
        text: 'book a change',
        data: { reminderId: 'r-replicas', status: 'OPEN' },
        at: new Date().toISOString(),
      };

      await worker.publish(tenant.owner.id, event);

      const frames = await Promise.all([phone, laptop].map((stream) => stream.next((frame) => frame.startsWith('event: reminder'))));
      expect(frames.map(dataOf)).toEqual([event, event]);
    } finally {
      phone.response.destroy();
      laptop.response.destroy();
    }
  });

  it("gives a session on replica B the change an owner made through replica A (the API's own emit)", async () => {
    const reminder = await createReminder(prisma, tenant, { subject: 'FL' });
    const laptop = await openEventStream(replicaB, token);
    try {
      await laptop.next((frame) => frame.includes(': connected'));

      await request(replicaA.getHttpServer())
        .post(`/api/v1/reminders/${reminder.id}/acknowledge`)
        .set('Authorization', `Bearer ${token}`)
        .expect(200);

      const frame = await laptop.next((f) => f.startsWith('event: reminder') && f.includes(reminder.id));
      expect(dataOf(frame)).toMatchObject({ type: 'reminder', data: { reminderId: reminder.id, status: 'ACKNOWLEDGED' } });
    } finally {
      laptop.response.destroy();
    }
  });
});
