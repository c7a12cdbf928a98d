// One message per visit, not per wheel (issue 14 item 6): the worker, the API and the channels' real peers
// (a local push service, an SMTP server, a webhook receiver, the in-app transport) for one car whose four tyres
// wear out together, then two of them replaced, then a fifth need of the same tyre-shop visit.
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { hashPassword } from '#app/auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { type InAppEvent, VapidKeyStore } from '#app/notifications';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { VehicleScoringService } from '../../apps/worker/src/scoring/vehicle-scoring.service.js';
import type { ReminderActionResult, ReminderList } from '../../apps/api/src/reminders/reminder.model.js';
import { startApi, TEST_PASSWORD, tokenFor } from '../api/api-test.fixtures.js';
import { LocalPushService } from '../notifications/support/push-service.js';
import { LocalSmtpServer, parseMime } from '../notifications/support/smtp-sink.js';
import { LocalWebhookReceiver } from '../notifications/support/webhook-receiver.js';
import { startInAppEventListener, type InAppEventListener } from '../support/in-app-event-listener.js';
import { testEnv } from '../support/test-env.js';
import { inspectTires, ownerWithAllChannels, sleep, WEBHOOK_SECRET, waitUntil } from './support/reminder-scenario.js';

const SWEEP_MS = 300;
const LATENCY_BUDGET_MS = 5_000;
const WHEELS = { FL: ['Front left', '2.8 mm'], FR: ['Front right', '2.7 mm'], RL: ['Rear left', '2.9 mm'], RR: ['Rear right', '2.6 mm'] } as const;

describe('one reminder per service visit', () => {
  let prisma: PrismaClient;
  let worker: INestApplicationContext;
  let api: INestApplication;
  let scoring: VehicleScoringService;
  let listener: InAppEventListener;
  const push = new LocalPushService();
  const smtp = new LocalSmtpServer();
  const webhook = new LocalWebhookReceiver(WEBHOOK_SECRET);
  let vapidPublicKey: string;

  beforeAll(async () => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
    await Promise.all([push.start(), smtp.start(), webhook.start()]);
    const keyFile = join(await mkdtemp(join(tmpdir(), 'visits-e2e-')), 'vapid.json');
    vapidPublicKey = (await new VapidKeyStore(keyFile).load()).publicKey;
    Object.assign(process.env, {
      QUEUE_PREFIX: `test-visits-${randomUUID().slice(0, 8)}`,
      RECONCILE_INTERVAL_MS: '3600000',
      NOTIFY_SWEEP_MS: String(SWEEP_MS),
      VAPID_KEY_FILE: keyFile,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      OUTBOUND_ALLOWED_CIDRS: '127.0.0.1/32',
    });
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    await worker.init();
    scoring = worker.get(VehicleScoringService);
    // The API on a queue prefix of its own: the test scores by itself, so it counts exactly what each score did.
    ({ app: api } = await startApi((config) => ({ ...config, queuePrefix: `test-visits-api-${randomUUID().slice(0, 8)}` })));
    listener = await startInAppEventListener(testEnv.redisUrl, worker.get<AppConfig>(APP_CONFIG).queuePrefix);
  });

  afterAll(async () => {
    await listener.close();
    await api.close();
    await worker.close();
    await Promise.all([push.stop(), smtp.stop(), webhook.stop()]);
    await prisma.$disconnect();
  });

  it('four worn tyres: one reminder and one message per channel naming each wheel; two replaced close those two; a fifth need updates the open reminder', async () => {
    const owner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl: webhook.url });
    const user = await prisma.user.update({ where: { id: owner.ownerId }, data: { passwordHash: await hashPassword(TEST_PASSWORD) } });
    const token = await tokenFor(api, user.email);
    const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: owner.vehicleId } });
    const staff = await prisma.user.create({
      data: {
        email: `staff-${randomUUID().slice(0, 8)}@test.local`,
        passwordHash: user.passwordHash,
        role: 'STAFF',
        name: 'Advisor',
        serviceCenterId: vehicle.serviceCenterId,
      },
    });
    const staffToken = await tokenFor(api, staff.email);
    /** A workshop's pressure check of the four tyres, recorded through the API as the advisor does it. */
    const checkPressures = async (measuredAt: Date, kpa: Record<'FL' | 'FR' | 'RL' | 'RR', number>) =>
      request(api.getHttpServer())
        .post(`/api/v1/vehicles/${vehicle.vin}/inspections`)
        .set({ Authorization: `Bearer ${staffToken}` })
        .send({
          measuredAt: measuredAt.toISOString(),
          odometerKm: 33_100,
          tires: Object.fromEntries(Object.entries(kpa).map(([wheel, pressureKpa]) => [wheel, { pressureKpa }])),
        })
        .expect(201);
    const inApp: InAppEvent[] = [];
    // Messages delivered on the in-app channel (data.event "notification"), not the feed's created/updated events.
    listener.hub.subscribe(owner.ownerId, (event) => {
      if (event.data.event === 'notification') inApp.push(event);
    });
    const counts = () => ({
      push: push.received.filter((p) => p.subscriptionId === owner.subscriptionId).length,
      email: smtp.received.filter((m) => m.to.includes(owner.email)).length,
      webhook: webhook.processed.filter((body) => body.data.reminderId !== undefined && reminderIds.has(String(body.data.reminderId))).length,
      inApp: inApp.length,
    });
    const reminderIds = new Set<string>();

    // 1. Four tyres wear out together.
    const now = new Date();
    await inspectTires(prisma, owner.vehicleId, now, 2.8, { FR: 2.7, RL: 2.9, RR: 2.6 });
    await scoring.score(owner.vehicleId, now);
    const reminders = await prisma.reminder.findMany({ where: { vehicleId: owner.vehicleId }, include: { items: true } });
    expect(reminders).toHaveLength(1);
    const [reminder] = reminders;
    if (reminder === undefined) throw new Error('no reminder');
    reminderIds.add(reminder.id);
    expect(reminder).toMatchObject({ component: 'TIRES', visitKey: `${owner.vehicleId}:visit:TIRES`, status: 'OPEN', risk: 'SOON', notifyCount: 1 });
    expect(reminder.items.map((item) => [item.code, item.subject, item.status, item.risk]).sort()).toEqual(
      (['FL', 'FR', 'RL', 'RR'] as const).map((wheel) => ['TIRE_TREAD_WEAR', wheel, 'OPEN', 'SOON']),
    );
    await waitUntil(
      () => counts().push === 1 && counts().email === 1 && counts().webhook === 1 && counts().inApp === 1,
      LATENCY_BUDGET_MS,
      'one message on each channel',
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}; sent ${JSON.stringify(counts())}`);
    });
    const mail = smtp.received.find((m) => m.to.includes(owner.email));
    const mailText = parseMime(mail?.raw ?? '').parts.find((part) => (part.headers.get('content-type') ?? '').startsWith('text/plain'))?.body ?? '';
    const inAppText = inApp[0]?.text ?? '';
    for (const [name, tread] of Object.values(WHEELS)) {
      expect(mailText).toContain(name);
      expect(inAppText).toContain(name);
      expect(mailText).toContain(`The tread was measured at ${tread}`);
      expect(inAppText).toContain(`The tread was measured at ${tread}`);
    }
    expect(inApp[0]?.title).toBe('Soon: Tyres: 4 needs for one visit');
    expect(inApp[0]?.data).toMatchObject({ reminderId: reminder.id, items: 4, subjects: 'FL,FR,RL,RR' });
    console.log(`four worn tyres -> 1 reminder; sent: ${JSON.stringify(counts())}\n--- in-app message ---\n${inApp[0]?.title ?? ''}\n${inAppText}`);
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 1, email: 1, webhook: 1, inApp: 1 });
    expect(await prisma.notificationDelivery.count({ where: { reminder: { vehicleId: owner.vehicleId } } })).toBe(4);

    // 2. Two tyres replaced: the owner marks those two wheels done; the reminder stays open for the other two.
    const feed = (
      await request(api.getHttpServer())
        .get('/api/v1/me/reminders')
        .set({ Authorization: `Bearer ${token}` })
        .expect(200)
    ).body as ReminderList;
    const view = feed.items.find((item) => item.id === reminder.id);
    expect(view?.visit).toBe('TIRES');
    expect(view?.items.map((item) => [item.subject, item.status])).toEqual([
      ['FL', 'OPEN'],
      ['FR', 'OPEN'],
      ['RL', 'OPEN'],
      ['RR', 'OPEN'],
    ]);
    const idOf = (wheel: string) => view?.items.find((item) => item.subject === wheel)?.id ?? '';
    const done = (
      await request(api.getHttpServer())
        .post(`/api/v1/reminders/${reminder.id}/done`)
        .set({ Authorization: `Bearer ${token}` })
        .send({ items: [idOf('FL'), idOf('FR')] })
        .expect(200)
    ).body as ReminderActionResult;
    expect(done.reminder.status).toBe('OPEN');
    expect(done.reminder.items.map((item) => [item.subject, item.status])).toEqual([
      ['RL', 'OPEN'],
      ['RR', 'OPEN'],
      ['FL', 'DONE'],
      ['FR', 'DONE'],
    ]);
    expect(done.serviceRecords?.map((record) => [record.kind, [...record.positions].sort()])).toEqual([['TIRE_REPLACEMENT', ['FL', 'FR']]]);
    // Marking a wheel done twice is refused with the reason; the rest of the visit is untouched.
    const again = await request(api.getHttpServer())
      .post(`/api/v1/reminders/${reminder.id}/done`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ items: [idOf('FL')] })
      .expect(409);
    expect((again.body as { message: string }).message).toContain('it is DONE');
    await request(api.getHttpServer())
      .post(`/api/v1/reminders/${reminder.id}/done`)
      .set({ Authorization: `Bearer ${token}` })
      .send({ items: [randomUUID()] })
      .expect(400);

    // The rescore the done asked for: the new tyres take FL and FR out of the forecast; nothing is sent.
    await scoring.score(owner.vehicleId, new Date());
    const afterDone = await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id }, include: { items: true } });
    expect(afterDone.status).toBe('OPEN');
    expect(afterDone.items.map((item) => [item.subject, item.status]).sort()).toEqual([
      ['FL', 'DONE'],
      ['FR', 'DONE'],
      ['RL', 'OPEN'],
      ['RR', 'OPEN'],
    ]);
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 1, email: 1, webhook: 1, inApp: 1 });

    // 3. A fifth need of the same visit: the new front-left tyre is under-inflated (SOON, like the visit). The open
    // reminder takes it; no second reminder, and no message (the visit's urgency did not change).
    await checkPressures(new Date(Date.now() - 500), { FL: 180, FR: 240, RL: 240, RR: 240 });
    await scoring.score(owner.vehicleId, new Date());
    const withFifth = await prisma.reminder.findMany({ where: { vehicleId: owner.vehicleId }, include: { items: true } });
    expect(withFifth.map((r) => [r.id, r.status, r.risk])).toEqual([[reminder.id, 'OPEN', 'SOON']]);
    expect(withFifth[0]?.items.find((item) => item.code === 'TIRE_UNDER_INFLATED')).toMatchObject({ subject: 'FL', status: 'OPEN', risk: 'SOON' });
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 1, email: 1, webhook: 1, inApp: 1 });

    // 4. The same need gets worse (URGENT): the visit's urgency rises, told once on each channel, naming what is open.
    await checkPressures(new Date(Date.now() - 1000), { FL: 150, FR: 240, RL: 240, RR: 240 });
    await scoring.score(owner.vehicleId, new Date());
    await waitUntil(
      () => counts().push === 2 && counts().email === 2 && counts().webhook === 2 && counts().inApp === 2,
      LATENCY_BUDGET_MS,
      'the update notice on each channel',
    );
    const update = inApp[1];
    expect(update?.title).toBe('Urgent: Tyres: 3 needs for one visit');
    expect(update?.text).toContain('Front left tyre is under-inflated');
    expect(update?.text).toContain('Already done: Front left tyre tread is wearing out, Front right tyre tread is wearing out');
    console.log(`--- update notice ---\n${update?.title ?? ''}\n${update?.text ?? ''}`);
    await scoring.score(owner.vehicleId, new Date());
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 2, email: 2, webhook: 2, inApp: 2 });
    expect(await prisma.reminder.count({ where: { vehicleId: owner.vehicleId } })).toBe(1);
  });
});
