import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { loadApiConfig } from '#app/config';
import type { PrismaClient } from '#app/database';
import { ClientProxyFactory } from '@nestjs/microservices';
import { centerAudience, type InAppEvent, TransportInAppEventBus } from '#app/notifications';
import { redisTransportOptions } from '#app/queue';
import { createTenant, startApi, tokenFor } from '../api/api-test.fixtures.js';
import { createReminder, type Tenant, uniquePrefix } from './reminder-test.fixtures.js';
import { SseReader } from '../support/sse-reader.js';

/** A PushSubscription.toJSON() as a browser gives it (65-byte p256dh, 16-byte auth). */
function pushSubscriptionJson(endpoint: string) {
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: Buffer.alloc(65, 4).toString('base64url'), auth: Buffer.alloc(16, 7).toString('base64url') },
  };
}

function preferenceRequest(overrides: Record<string, unknown> = {}) {
  return { channels: ['WEB_PUSH', 'EMAIL', 'IN_APP'], language: 'zh', timeZone: 'Europe/Berlin', ...overrides };
}

describe('Owner preferences, push subscriptions and live events API', () => {
  const queuePrefix = uniquePrefix('events');
  let vapidDir: string;
  let app: INestApplication;
  let prisma: PrismaClient;
  let tenant: Tenant;
  let token: string;

  const http = () => request(app.getHttpServer());
  const as = (bearer: string) => ({ Authorization: `Bearer ${bearer}` });

  beforeAll(async () => {
    vapidDir = await mkdtemp(join(tmpdir(), 'api-vapid-'));
    ({ app, prisma } = await startApi((config) => ({
      ...config,
      queuePrefix,
      notifications: { ...config.notifications, vapid: { ...config.notifications.vapid, keyFile: join(vapidDir, 'vapid.json') } },
    })));
    await app.listen(0, '127.0.0.1');
    tenant = await createTenant(prisma, 'preferences');
    token = await tokenFor(app, tenant.owner.email);
  });

  afterAll(async () => {
    await app.close();
    await rm(vapidDir, { recursive: true, force: true });
  });

  describe('GET|PUT /api/v1/me/preferences', () => {
    it('shows the defaults before anything is saved', async () => {
      const owner = (await createTenant(prisma, 'preferences-defaults')).owner;

      const response = await http()
        .get('/api/v1/me/preferences')
        .set(as(await tokenFor(app, owner.email)))
        .expect(200);

      expect(response.body).toMatchObject({ channels: ['WEB_PUSH', 'EMAIL', 'IN_APP'], language: 'en', webhookSecretSet: false });
    });

    it('saves a valid preference and answers 400 for a bad time zone or clock time', async () => {
      const saved = await http()
        .put('/api/v1/me/preferences')
        .set(as(token))
        .send(preferenceRequest({ quietHoursStart: '22:00', quietHoursEnd: '07:00', digest: true }))
        .expect(200);
      const zone = await http()
        .put('/api/v1/me/preferences')
        .set(as(token))
        .send(preferenceRequest({ timeZone: 'Europe/Atlantis' }))
        .expect(400);
      const clock = await http()
        .put('/api/v1/me/preferences')
        .set(as(token))
        .send(preferenceRequest({ quietHoursStart: '25:00', quietHoursEnd: '07:00' }))
        .expect(400);

      expect(saved.body).toMatchObject({ timeZone: 'Europe/Berlin', quietHoursStart: '22:00', quietHoursEnd: '07:00', digest: true });
      expect(zone.body.issues.map((i: { path: string }) => i.path)).toEqual(['timeZone']);
      expect(clock.body.issues.map((i: { path: string }) => i.path)).toEqual(['quietHoursStart']);
      expect(await prisma.notificationPreference.findUniqueOrThrow({ where: { userId: tenant.owner.id } })).toMatchObject({
        timeZone: 'Europe/Berlin',
        quietHoursStart: '22:00',
      });
    });

    it('generates a webhook secret once, stores it, and never shows it again', async () => {
      const put = await http()
        .put('/api/v1/me/preferences')
        .set(as(token))
        .send(preferenceRequest({ channels: ['WEBHOOK', 'IN_APP'], webhookUrl: 'https://hooks.example.com/carhealth' }))
        .expect(200);
      const stored = await prisma.notificationPreference.findUniqueOrThrow({ where: { userId: tenant.owner.id } });
      const got = await http().get('/api/v1/me/preferences').set(as(token)).expect(200);
      const again = await http()
        .put('/api/v1/me/preferences')
        .set(as(token))
        .send(preferenceRequest({ channels: ['WEBHOOK'], webhookUrl: 'https://hooks.example.com/carhealth' }))
        .expect(200);

      expect(put.body.webhookSecret).toEqual(expect.stringMatching(/^[\w-]{40,}$/));
      expect(stored.webhookSecret).toBe(put.body.webhookSecret);
      expect(got.body).toMatchObject({ webhookUrl: 'https://hooks.example.com/carhealth', webhookSecretSet: true });
      expect(JSON.stringify(got.body)).not.toContain(put.body.webhookSecret);
      // Kept on a later PUT without a secret, and not shown there either.
      expect(again.body.webhookSecret).toBeUndefined();
      expect((await prisma.notificationPreference.findUniqueOrThrow({ where: { userId: tenant.owner.id } })).webhookSecret).toBe(
        put.body.webhookSecret,
      );
      await http()
        .put('/api/v1/me/preferences')
        .set(as(token))
        .send(preferenceRequest({ webhookUrl: 'http://hooks.example.com/x' }))
        .expect(400);
    });
  });

  describe('push subscriptions', () => {
    it('serves the VAPID public key from the shared key file', async () => {
      const response = await http().get('/api/v1/push/vapid-public-key').expect(200);

      expect(response.body.publicKey).toMatch(/^[\w-]{87}$/);
      expect((await http().get('/api/v1/push/vapid-public-key').expect(200)).body.publicKey).toBe(response.body.publicKey);
    });

    it('upserts by endpoint, moving it to whoever subscribed last, and deletes only the caller own', async () => {
      const endpoint = `https://push.example.com/send/${uniquePrefix('endpoint')}`;
      const neighbour = await createTenant(prisma, 'preferences-neighbour');
      const neighbourToken = await tokenFor(app, neighbour.owner.email);

      const first = await http().post('/api/v1/me/push-subscriptions').set(as(token)).send(pushSubscriptionJson(endpoint)).expect(200);
      const second = await http().post('/api/v1/me/push-subscriptions').set(as(token)).send(pushSubscriptionJson(endpoint)).expect(200);
      expect(second.body.id).toBe(first.body.id);
      expect(await prisma.pushSubscription.count({ where: { endpoint } })).toBe(1);

      const moved = await http().post('/api/v1/me/push-subscriptions').set(as(neighbourToken)).send(pushSubscriptionJson(endpoint)).expect(200);
      expect(moved.body.id).toBe(first.body.id);
      expect(await prisma.pushSubscription.findUniqueOrThrow({ where: { endpoint } })).toMatchObject({ userId: neighbour.owner.id });

      await http().delete(`/api/v1/me/push-subscriptions/${first.body.id}`).set(as(token)).expect(404);
      await http().delete(`/api/v1/me/push-subscriptions/${first.body.id}`).set(as(neighbourToken)).expect(204);
      expect(await prisma.pushSubscription.count({ where: { endpoint } })).toBe(0);
    });

    it('moves a replaced subscription to the new endpoint for the same owner, given the old endpoint and its auth secret', async () => {
      const oldEndpoint = `https://push.example.com/send/${uniquePrefix('old')}`;
      const newEndpoint = `https://push.example.com/send/${uniquePrefix('new')}`;
      const old = pushSubscriptionJson(oldEndpoint);
      const replacement = {
        ...pushSubscriptionJson(newEndpoint),
        keys: { p256dh: Buffer.alloc(65, 5).toString('base64url'), auth: Buffer.alloc(16, 8).toString('base64url') },
      };
      await http().post('/api/v1/me/push-subscriptions').set(as(token)).send(old).expect(200);
      const change = (body: Record<string, unknown>) => http().post('/api/v1/push/subscription-change').send(body);

      // No session (a service worker has none): the old subscription's secrets are the proof.
      await change({ oldEndpoint, oldAuth: Buffer.alloc(16, 1).toString('base64url'), subscription: replacement }).expect(404);
      await change({ oldEndpoint: `${oldEndpoint}-unknown`, oldAuth: old.keys.auth, subscription: replacement }).expect(404);
      await change({ oldEndpoint, oldAuth: 'short', subscription: replacement }).expect(400);
      expect(await prisma.pushSubscription.count({ where: { endpoint: newEndpoint } })).toBe(0);

      await change({ oldEndpoint, oldAuth: old.keys.auth, subscription: replacement }).expect(200);

      expect(await prisma.pushSubscription.count({ where: { endpoint: oldEndpoint } })).toBe(0);
      expect(await prisma.pushSubscription.findUniqueOrThrow({ where: { endpoint: newEndpoint } })).toMatchObject({
        userId: tenant.owner.id,
        p256dh: replacement.keys.p256dh,
        auth: replacement.keys.auth,
      });
      // The old endpoint is spent: the same request again finds nothing.
      await change({ oldEndpoint, oldAuth: old.keys.auth, subscription: replacement }).expect(404);
    });

    it('refuses keys that are not what a browser sends', async () => {
      const body = pushSubscriptionJson('https://push.example.com/send/bad');
      await http()
        .post('/api/v1/me/push-subscriptions')
        .set(as(token))
        .send({ ...body, keys: { ...body.keys, p256dh: 'short' } })
        .expect(400);
    });
  });

  describe('GET /api/v1/me/events (SSE)', () => {
    function openStream(path: string, headers: Record<string, string> = {}): Promise<SseReader> {
      const { port } = app.getHttpServer().address() as AddressInfo;
      return new Promise((resolve, reject) => {
        get({ host: '127.0.0.1', port, path, headers: { Accept: 'text/event-stream', ...headers } }, (response) =>
          resolve(new SseReader(response)),
        ).on('error', reject);
      });
    }

    it('streams the events the worker publishes for this owner, and only theirs', async () => {
      // What the worker does: ClientProxy.emit on the Nest Redis transport, heard by the API's @EventPattern.
      const workerBus = new TransportInAppEventBus(ClientProxyFactory.create(redisTransportOptions(loadApiConfig().redisUrl)), queuePrefix);
      const stream = await openStream('/api/v1/me/events', as(token));
      try {
        expect(stream.response.statusCode).toBe(200);
        expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
        await stream.next((frame) => frame.includes(': connected'));

        const event: InAppEvent = {
          type: 'reminder',
          title: '紧急：前左轮胎缓慢漏气',
          text: 'line 1\nline 2',
          data: { reminderId: 'r-1', risk: 'URGENT', status: 'OPEN' },
          at: new Date().toISOString(),
        };
        await workerBus.publish('someone-else', { ...event, title: 'not yours' });
        await workerBus.publish(tenant.owner.id, event);

        const frame = await stream.next((f) => f.startsWith('event: reminder'));
        const [eventLine, dataLine] = frame.split('\n');
        expect(eventLine).toBe('event: reminder');
        expect(JSON.parse(dataLine!.replace(/^data: /, ''))).toEqual(event);
        expect(stream.frames.join('\n')).not.toContain('not yours');
      } finally {
        stream.response.destroy();
        await workerBus.onApplicationShutdown();
      }
    });

    /** The JSON of an `event: <name>` frame. */
    function dataOf(frame: string): Record<string, unknown> {
      const dataLine = frame.split('\n').find((line) => line.startsWith('data: '));
      return JSON.parse(dataLine!.replace(/^data: /, '')) as Record<string, unknown>;
    }

    it("tells the owner's other open session about their own acknowledge, after it is stored", async () => {
      const reminder = await createReminder(prisma, tenant, { subject: 'RR' });
      const dashboardTab = await openStream('/api/v1/me/events', as(token));
      try {
        await dashboardTab.next((frame) => frame.includes(': connected'));

        // The "phone" acts through the API; the "dashboard tab" only listens.
        await http().post(`/api/v1/reminders/${reminder.id}/acknowledge`).set(as(token)).expect(200);

        const frame = await dashboardTab.next((f) => f.startsWith('event: reminder') && f.includes(reminder.id));
        const event = dataOf(frame);
        expect(event).toMatchObject({ type: 'reminder', title: expect.any(String) });
        expect(event.data).toMatchObject({ reminderId: reminder.id, event: 'updated', status: 'ACKNOWLEDGED', version: 1 });
      } finally {
        dashboardTab.response.destroy();
      }
    });

    it('streams appointment events for booking and cancelling, with the reminder going back to OPEN', async () => {
      // Its own owner: English (the owner above saved Chinese).
      const booker = await createTenant(prisma, 'events-appointment');
      const bookerToken = await tokenFor(app, booker.owner.email);
      const reminder = await createReminder(prisma, booker, { subject: 'RL' });
      const stream = await openStream('/api/v1/me/events', as(bookerToken));
      try {
        await stream.next((frame) => frame.includes(': connected'));

        const book = await http()
          .post(`/api/v1/reminders/${reminder.id}/book`)
          .set(as(bookerToken))
          .send({ preferredAt: new Date(Date.now() + 2 * 86_400_000).toISOString() })
          .expect(200);
        const appointmentId = book.body.appointment.id as string;
        const created = await stream.next((f) => f.startsWith('event: appointment') && f.includes('"created"'));
        await http().post(`/api/v1/appointments/${appointmentId}/cancel`).set(as(bookerToken)).send({ reason: 'car is fine' }).expect(200);
        const cancelled = await stream.next((f) => f.startsWith('event: appointment') && f.includes('"cancelled"'));
        const reopened = await stream.next((f) => f.startsWith('event: reminder') && f.includes('"OPEN"'));

        expect(dataOf(created).data).toMatchObject({ event: 'created', appointmentId, reminderId: reminder.id, status: 'REQUESTED' });
        expect(dataOf(cancelled)).toMatchObject({
          type: 'appointment',
          title: 'Appointment cancelled',
          data: { event: 'cancelled', appointmentId, status: 'CANCELLED', vin: booker.vehicle.vin },
        });
        expect(dataOf(reopened).data).toMatchObject({ reminderId: reminder.id, event: 'updated', status: 'OPEN' });
      } finally {
        stream.response.destroy();
      }
    });

    it("gives staff their center's customers' events (an owner booking, the worker's reminders), not another center's", async () => {
      const center = await createTenant(prisma, 'events-staff');
      const other = await createTenant(prisma, 'events-other-center');
      const reminder = await createReminder(prisma, center, { subject: 'FR' });
      const ownerToken = await tokenFor(app, center.owner.email);
      const staffStream = await openStream('/api/v1/me/events', as(await tokenFor(app, center.staff.email)));
      const otherStaffStream = await openStream('/api/v1/me/events', as(await tokenFor(app, other.staff.email)));
      // What the worker does: ClientProxy.emit on the Nest Redis transport, heard by the API's @EventPattern.
      const workerBus = new TransportInAppEventBus(ClientProxyFactory.create(redisTransportOptions(loadApiConfig().redisUrl)), queuePrefix);
      try {
        await Promise.all([staffStream, otherStaffStream].map((s) => s.next((frame) => frame.includes(': connected'))));

        const book = await http()
          .post(`/api/v1/reminders/${reminder.id}/book`)
          .set(as(ownerToken))
          .send({ preferredAt: new Date(Date.now() + 86_400_000).toISOString() })
          .expect(200);
        const requested = await staffStream.next((f) => f.startsWith('event: appointment') && f.includes('"created"'));
        expect(dataOf(requested).data).toMatchObject({
          event: 'created',
          appointmentId: book.body.appointment.id,
          vin: center.vehicle.vin,
          status: 'REQUESTED',
        });
        const booked = await staffStream.next((f) => f.startsWith('event: reminder') && f.includes('"BOOKED"'));
        expect(dataOf(booked).data).toMatchObject({ reminderId: reminder.id, vin: center.vehicle.vin });

        // What the worker publishes to a center reaches that center's staff only; a barrier event shows the
        // other center's stream is live and got nothing before it.
        const news = { type: 'reminder' as const, title: 'Urgent', text: '', at: new Date().toISOString() };
        await workerBus.publish(centerAudience(center.center.id), { ...news, data: { reminderId: 'r-center', vin: center.vehicle.vin } });
        await workerBus.publish(centerAudience(other.center.id), { ...news, data: { reminderId: 'r-barrier' } });
        await staffStream.next((f) => f.includes('r-center'));
        await otherStaffStream.next((f) => f.includes('r-barrier'));
        expect(otherStaffStream.frames.filter((f) => f.startsWith('event: '))).toHaveLength(1);
      } finally {
        staffStream.response.destroy();
        otherStaffStream.response.destroy();
        await workerBus.onApplicationShutdown();
      }
    });

    it('accepts the token as ?access_token= for EventSource and refuses a missing or bad one', async () => {
      const viaQuery = await openStream(`/api/v1/me/events?access_token=${token}`);
      try {
        expect(viaQuery.response.statusCode).toBe(200);
        await viaQuery.next((frame) => frame.includes(': connected'));
      } finally {
        viaQuery.response.destroy();
      }
      await http().get('/api/v1/me/events').expect(401);
      await http().get('/api/v1/me/events?access_token=abc.def.ghi').expect(401);
    });
  });
});
