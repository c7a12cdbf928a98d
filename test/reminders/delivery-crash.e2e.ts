import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { VapidKeyStore } from '#app/notifications';
import { createRedisConnection, ScoringProducer } from '#app/queue';
import type { Redis } from 'ioredis';
import { LocalPushService } from '../notifications/support/push-service.js';
import { LocalSmtpServer } from '../notifications/support/smtp-sink.js';
import { LocalWebhookReceiver } from '../notifications/support/webhook-receiver.js';
import { testEnv } from '../support/test-env.js';
import {
  inspectTires,
  messageIdOf,
  ownerWithAllChannels,
  reminderWorkerEnv,
  type Scenario,
  WEBHOOK_SECRET,
  waitUntil,
} from './support/reminder-scenario.js';
import { WorkerProcess } from './support/worker-process.js';

const VEHICLES = 4;
/** Longer than the spread between the first and the last of the twelve first sends, so none times out before the kill. */
const SEND_TIMEOUT_MS = 8_000;

/**
 * The worst moment for a crash: every peer has taken its message (the phone shows the push, the mailbox
 * has the e-mail, the receiver has processed the webhook) and the worker dies before it hears so, so
 * nothing is recorded as sent. The peers hold their answers back to make that moment certain.
 */
describe('deliveries survive a worker killed while sending', () => {
  let prisma: PrismaClient;
  let redis: Redis;
  let producer: ScoringProducer;
  const push = new LocalPushService();
  const smtp = new LocalSmtpServer();
  const webhook = new LocalWebhookReceiver(WEBHOOK_SECRET);
  const peers = [push, smtp, webhook];
  let worker: WorkerProcess;

  beforeAll(async () => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
    redis = createRedisConnection(testEnv.redisUrl);
    await Promise.all(peers.map((peer) => peer.start()));
  });

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await producer?.close();
    await Promise.all(peers.map((peer) => peer.stop()));
    redis.disconnect();
    await prisma.$disconnect();
  });

  it('after a SIGKILL with every first send taken but unanswered: every reminder on every channel, none shown twice', async () => {
    const keyFile = join(await mkdtemp(join(tmpdir(), 'delivery-crash-')), 'vapid.json');
    const vapidPublicKey = (await new VapidKeyStore(keyFile).load()).publicKey;
    const queuePrefix = `test-crash-${randomUUID().slice(0, 8)}`;
    worker = new WorkerProcess(
      reminderWorkerEnv(
        { queuePrefix, vapidKeyFile: keyFile, smtpPort: smtp.port },
        {
          RECONCILE_INTERVAL_MS: '3600000',
          WEBHOOK_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
          WEB_PUSH_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
          SMTP_TIMEOUT_MS: String(SEND_TIMEOUT_MS),
        },
      ),
    );
    producer = new ScoringProducer(redis, queuePrefix, 0);

    const owners: Scenario[] = [];
    for (let i = 0; i < VEHICLES; i += 1) {
      const owner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl: webhook.url });
      await inspectTires(prisma, owner.vehicleId, new Date(), 2.8);
      owners.push(owner);
    }
    const vehicleIds = owners.map((o) => o.vehicleId);
    // (The worker sweeps the whole database: reminders other test files left may reach the push service and
    // the SMTP server too. The webhook receiver's URL is this test's own.)
    const ownMails = () => smtp.received.filter((m) => owners.some((o) => m.to.includes(o.email)));
    const ownPushes = () => push.received.filter((p) => owners.some((o) => p.subscriptionId === o.subscriptionId));

    peers.forEach((peer) => peer.answers.hold());
    await worker.start();
    await producer.requestScores(vehicleIds, 'manual', 0);
    await waitUntil(
      () => ownPushes().length === VEHICLES && ownMails().length === VEHICLES && webhook.requests.length === VEHICLES,
      30_000,
      'every reminder taken in, unanswered, by the push service, the SMTP server and the webhook receiver',
    );
    await worker.stop('SIGKILL');
    peers.forEach((peer) => peer.answers.release());
    const notSent = await prisma.notificationDelivery.count({ where: { reminder: { vehicleId: { in: vehicleIds } }, status: { not: 'SENT' } } });
    console.log(
      `killed the worker with ${VEHICLES} pushes, ${VEHICLES} e-mails and ${VEHICLES} webhook calls taken but unanswered; ${notSent} delivery rows not SENT`,
    );

    await worker.start();
    await waitUntil(
      async () =>
        (await prisma.notificationDelivery.count({ where: { reminder: { vehicleId: { in: vehicleIds } }, status: { not: 'SENT' } } })) === 0,
      90_000,
      'every delivery to be SENT after the restart',
    );

    const reminders = await prisma.reminder.findMany({ where: { vehicleId: { in: vehicleIds } } });
    expect(reminders).toHaveLength(VEHICLES);
    const deliveries = await prisma.notificationDelivery.findMany({
      where: { reminderId: { in: reminders.map((r) => r.id) } },
      include: { attemptLog: true },
    });
    expect(deliveries).toHaveLength(VEHICLES * 4);
    const idsOf = (channel: string, format: (id: string) => string) =>
      new Set(deliveries.filter((d) => d.channel === channel).map((d) => format(d.id)));

    const sent = {
      push: owners.map((o) => push.received.filter((p) => p.subscriptionId === o.subscriptionId).length),
      email: owners.map((o) => smtp.received.filter((m) => m.to.includes(o.email)).length),
      webhook: reminders.map((r) => webhook.requests.filter((q) => q.rawBody.includes(r.id)).length),
    };
    // What the owner's side shows: the phone replaces a notification with the same tag, the mailbox keeps one
    // message per Message-ID, the receiver drops a delivery id it has handled. A resend carries the same ones.
    const shown = {
      push: owners.map((o) => push.shownNotifications(o.subscriptionId).length),
      email: owners.map((o) => new Set(smtp.received.filter((m) => m.to.includes(o.email)).map((m) => messageIdOf(m.raw))).size),
      webhook: reminders.map((r) => webhook.processed.filter((b) => b.data.reminderId === r.id).length),
    };
    const counts = Object.values(shown).flat();
    const inDoubt = deliveries.flatMap((d) => d.attemptLog).filter((a) => a.detail?.startsWith('in doubt')).length;
    console.log(
      `delivered ${counts.filter((n) => n >= 1).length}/${VEHICLES * 3} (reminder x channel), duplicated ${counts.filter((n) => n > 1).length}; ` +
        `sent per reminder: push ${sent.push.join(',')}, e-mail ${sent.email.join(',')}, webhook ${sent.webhook.join(',')}; ` +
        `attempts logged in doubt: ${inDoubt}`,
    );

    // Every first send was in doubt, so each was sent exactly once more, with the same identity.
    expect(sent).toEqual({ push: owners.map(() => 2), email: owners.map(() => 2), webhook: reminders.map(() => 2) });
    expect(inDoubt).toBe(VEHICLES * 3);
    expect(shown).toEqual({ push: owners.map(() => 1), email: owners.map(() => 1), webhook: reminders.map(() => 1) });
    const pushTags = idsOf('WEB_PUSH', (id) => `delivery:${id}`);
    expect(owners.flatMap((o) => push.shownNotifications(o.subscriptionId)).filter((n) => !pushTags.has(n.tag ?? ''))).toEqual([]);
    const messageIds = idsOf('EMAIL', (id) => `<${id}@carhealth.local>`);
    expect(
      ownMails()
        .map((m) => messageIdOf(m.raw))
        .filter((id) => !messageIds.has(id ?? '')),
    ).toEqual([]);
    const webhookIds = idsOf('WEBHOOK', (id) => id);
    expect(webhook.requests.filter((q) => !q.verified || !webhookIds.has(q.deliveryId ?? ''))).toEqual([]);
  });
});
