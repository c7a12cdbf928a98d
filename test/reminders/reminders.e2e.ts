import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { VapidKeyStore } from '#app/notifications';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { VehicleScoringService } from '../../apps/worker/src/scoring/vehicle-scoring.service.js';
import { LocalPushService } from '../notifications/support/push-service.js';
import { LocalSmtpServer } from '../notifications/support/smtp-sink.js';
import { LocalWebhookReceiver } from '../notifications/support/webhook-receiver.js';
import { testEnv } from '../support/test-env.js';
import { inspectTires, ownerWithAllChannels, sleep, WEBHOOK_SECRET, waitUntil } from './support/reminder-scenario.js';

const SWEEP_MS = 300;
/** From the score's commit to the owner's phone, inbox and webhook. */
const LATENCY_BUDGET_MS = 5_000;

describe('owner reminders in the worker', () => {
  let prisma: PrismaClient;
  let worker: INestApplicationContext;
  let scoring: VehicleScoringService;
  const push = new LocalPushService();
  const smtp = new LocalSmtpServer();
  const webhook = new LocalWebhookReceiver(WEBHOOK_SECRET);
  let vapidPublicKey: string;

  beforeAll(async () => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
    await Promise.all([push.start(), smtp.start(), webhook.start()]);
    const keyFile = join(await mkdtemp(join(tmpdir(), 'reminders-e2e-')), 'vapid.json');
    vapidPublicKey = (await new VapidKeyStore(keyFile).load()).publicKey;
    Object.assign(process.env, {
      QUEUE_PREFIX: `test-reminders-${randomUUID().slice(0, 8)}`,
      RECONCILE_INTERVAL_MS: '3600000',
      NOTIFY_SWEEP_MS: String(SWEEP_MS),
      VAPID_KEY_FILE: keyFile,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
    });
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
    await worker.init();
    scoring = worker.get(VehicleScoringService);
  });

  afterAll(async () => {
    await worker?.close();
    await Promise.all([push.stop(), smtp.stop(), webhook.stop()]);
    await prisma.$disconnect();
  });

  const pushesTo = (subscriptionId: string) => push.received.filter((p) => p.subscriptionId === subscriptionId);
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  const hooksFor = (vehicleReminderIds: string[]) =>
    webhook.processed.filter((body) => vehicleReminderIds.includes(String(body.data.reminderId)));

  it('tells the owner once on each channel, stays quiet while nothing changes, honours a snooze and closes on the repair', async () => {
    const owner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl: webhook.url });
    const now = new Date();
    await inspectTires(prisma, owner.vehicleId, now, 2.8);

    await scoring.score(owner.vehicleId, now);
    const scoredAt = Date.now();
    const reminders = await prisma.reminder.findMany({ where: { vehicleId: owner.vehicleId } });
    expect(reminders).toHaveLength(1);
    const reminder = reminders[0]!;
    expect(reminder).toMatchObject({ component: 'TIRES', dedupKey: `${owner.vehicleId}:TIRES:TIRE_TREAD_WEAR:FL`, status: 'OPEN', risk: 'SOON', version: 1, notifyCount: 1 });
    expect(reminder.nextNotifyAt!.getTime()).toBe(reminder.lastNotifiedAt!.getTime() + 168 * 3_600_000);

    const counts = () => ({ push: pushesTo(owner.subscriptionId).length, email: mailsTo(owner.email).length, webhook: hooksFor([reminder.id]).length });
    await waitUntil(() => counts().push === 1 && counts().email === 1 && counts().webhook === 1, LATENCY_BUDGET_MS, 'push, e-mail and webhook');
    console.log(`reminder delivered on push, e-mail and webhook ${Date.now() - scoredAt} ms after the score`);

    const pushed = JSON.parse(pushesTo(owner.subscriptionId)[0]!.plaintext) as { title: string; body: string; data: Record<string, unknown> };
    expect(pushed.title).toMatch(/^Soon: /);
    expect(pushed.data).toMatchObject({ reminderId: reminder.id, code: 'TIRE_TREAD_WEAR', subject: 'FL', risk: 'SOON' });
    expect(webhook.requests.filter((r) => r.deliveryId !== undefined).every((r) => r.verified)).toBe(true);
    expect(hooksFor([reminder.id])[0]!.text).toContain('2.8 mm');
    expect(mailsTo(owner.email)[0]!.raw).toContain('Front left');
    // The peers have the messages; the worker records SENT right after each answer: wait for those commits.
    await waitUntil(
      async () => (await prisma.notificationDelivery.count({ where: { reminderId: reminder.id, status: 'SENT' } })) === 4,
      LATENCY_BUDGET_MS,
      'the four deliveries recorded as sent',
    );
    const deliveries = await prisma.notificationDelivery.findMany({ where: { reminderId: reminder.id }, include: { attemptLog: true } });
    expect(deliveries.map((d) => [d.channel, d.notificationKey, d.status, d.attempts]).sort()).toEqual([
      ['EMAIL', 'v1n1', 'SENT', 1],
      ['IN_APP', 'v1n1', 'SENT', 1],
      ['WEBHOOK', 'v1n1', 'SENT', 1],
      ['WEB_PUSH', 'v1n1', 'SENT', 1],
    ]);
    expect(deliveries.every((d) => d.attemptLog.length === 1 && d.attemptLog[0]!.ok)).toBe(true);

    // Nothing new: more scores and several sweeps send nothing more.
    await scoring.score(owner.vehicleId, new Date());
    await scoring.score(owner.vehicleId, new Date());
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 1, email: 1, webhook: 1 });
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ version: 1, notifyCount: 1, status: 'OPEN' });

    // Snoozed (as the API does it): silent until the date, then told again.
    await prisma.reminder.update({ where: { id: reminder.id }, data: { status: 'SNOOZED', snoozedUntil: new Date(Date.now() + 86_400_000), nextNotifyAt: new Date(Date.now() - 1000) } });
    await scoring.score(owner.vehicleId, new Date());
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 1, email: 1, webhook: 1 });
    await prisma.reminder.update({ where: { id: reminder.id }, data: { snoozedUntil: new Date(Date.now() - 1000) } });
    await waitUntil(() => counts().push === 2 && counts().email === 2 && counts().webhook === 2, LATENCY_BUDGET_MS, 'the notification after the snooze');
    expect(await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: 'OPEN', snoozedUntil: null, notifyCount: 2 });
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 2, email: 2, webhook: 2 });

    // Done: the tyre is replaced (a service record) and the rescore finds nothing left to remind about.
    const vehicle = await prisma.vehicle.findUniqueOrThrow({ where: { id: owner.vehicleId } });
    await prisma.serviceRecord.create({
      data: { vehicleId: owner.vehicleId, serviceCenterId: vehicle.serviceCenterId, kind: 'TIRE_REPLACEMENT', performedAt: new Date(), positions: ['FL'], reminderId: reminder.id },
    });
    await scoring.score(owner.vehicleId, new Date());
    const closed = await prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } });
    expect(closed.status).toBe('RESOLVED');
    expect(closed.closedAt).not.toBeNull();
    console.log(`closed: ${closed.closedReason}`);
    const tires = await prisma.prediction.findUniqueOrThrow({ where: { vehicleId_component: { vehicleId: owner.vehicleId, component: 'TIRES' } } });
    const findings = tires.findings as { code: string; subject: string; risk: string }[];
    expect(findings.filter((f) => f.subject === 'FL' && ['SOON', 'URGENT', 'CRITICAL'].includes(f.risk))).toEqual([]);
    await sleep(5 * SWEEP_MS);
    expect(counts()).toEqual({ push: 2, email: 2, webhook: 2 });
    expect(await prisma.reminder.count({ where: { vehicleId: owner.vehicleId, closedAt: null } })).toBe(0);
  });
});
