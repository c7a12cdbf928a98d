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
import { inspectTires, ownerWithAllChannels, type Scenario, WEBHOOK_SECRET, waitUntil } from './support/reminder-scenario.js';
import { WorkerProcess } from './support/worker-process.js';

const VEHICLES = 4;
const messageIdOf = (raw: string): string | undefined => /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(raw)?.[1];
/** The receiver holds every webhook request open this long: the worker is killed inside that window. */
const WEBHOOK_HOLD_MS = 2_500;

describe('deliveries survive a worker killed while sending', () => {
  let prisma: PrismaClient;
  let redis: Redis;
  let producer: ScoringProducer;
  const push = new LocalPushService();
  const smtp = new LocalSmtpServer();
  const webhook = new LocalWebhookReceiver(WEBHOOK_SECRET, [], WEBHOOK_HOLD_MS);
  let worker: WorkerProcess;

  beforeAll(async () => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
    redis = createRedisConnection(testEnv.redisUrl);
    await Promise.all([push.start(), smtp.start(), webhook.start()]);
  });

  afterAll(async () => {
    await worker?.stop('SIGTERM');
    await producer?.close();
    await Promise.all([push.stop(), smtp.stop(), webhook.stop()]);
    redis.disconnect();
    await prisma.$disconnect();
  });

  it('delivers every reminder on every channel, none twice, after a SIGKILL in the middle of the webhook calls', async () => {
    const keyFile = join(await mkdtemp(join(tmpdir(), 'delivery-crash-')), 'vapid.json');
    const vapidPublicKey = (await new VapidKeyStore(keyFile).load()).publicKey;
    const queuePrefix = `test-crash-${randomUUID().slice(0, 8)}`;
    worker = new WorkerProcess({
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: testEnv.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      RECONCILE_INTERVAL_MS: '3600000',
      NOTIFY_SWEEP_MS: '300',
      VAPID_KEY_FILE: keyFile,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      WEBHOOK_TIMEOUT_MS: '4000',
      WEB_PUSH_TIMEOUT_MS: '2000',
      SMTP_TIMEOUT_MS: '2000',
    });
    producer = new ScoringProducer(redis, queuePrefix, 0);

    const owners: Scenario[] = [];
    for (let i = 0; i < VEHICLES; i += 1) {
      const owner = await ownerWithAllChannels(prisma, { push, vapidPublicKey, webhookUrl: webhook.url });
      await inspectTires(prisma, owner.vehicleId, new Date(), 2.8);
      owners.push(owner);
    }
    await worker.start();
    await producer.requestScores(owners.map((o) => o.vehicleId), 'manual', 0);

    // Every webhook call has reached the receiver (which handles it at once) and is being held open.
    await waitUntil(() => webhook.requests.length >= VEHICLES, 30_000, 'the webhook calls');
    await worker.stop('SIGKILL');
    const inFlight = await prisma.notificationDelivery.count({
      where: { reminder: { vehicleId: { in: owners.map((o) => o.vehicleId) } }, status: { not: 'SENT' } },
    });
    console.log(`killed the worker with ${webhook.requests.length} webhook call(s) held open and ${inFlight} delivery row(s) not yet SENT`);

    await worker.start();
    const vehicleIds = owners.map((o) => o.vehicleId);
    await waitUntil(
      async () => (await prisma.notificationDelivery.count({ where: { reminder: { vehicleId: { in: vehicleIds } }, status: { not: 'SENT' } } })) === 0,
      90_000,
      'every delivery to be SENT after the restart',
    );

    const reminders = await prisma.reminder.findMany({ where: { vehicleId: { in: vehicleIds } } });
    expect(reminders).toHaveLength(VEHICLES);
    const deliveries = await prisma.notificationDelivery.findMany({ where: { reminderId: { in: reminders.map((r) => r.id) } }, include: { attemptLog: true } });
    expect(deliveries).toHaveLength(VEHICLES * 4);

    const perChannel = {
      push: owners.map((o) => push.received.filter((p) => p.subscriptionId === o.subscriptionId).length),
      // What each mailbox shows: a message re-sent after the crash carries the same Message-ID (the delivery id).
      email: owners.map((o) => new Set(smtp.received.filter((m) => m.to.includes(o.email)).map((m) => messageIdOf(m.raw))).size),
      webhook: reminders.map((r) => webhook.processed.filter((b) => b.data.reminderId === r.id).length),
    };
    const webhookCalls = reminders.map((r) => webhook.requests.filter((q) => deliveries.some((d) => d.id === q.deliveryId && d.reminderId === r.id)).length);
    const delivered = Object.values(perChannel).flat().filter((n) => n >= 1).length;
    const duplicated = Object.values(perChannel).flat().filter((n) => n > 1).length;
    console.log(
      `delivered ${delivered}/${VEHICLES * 3} (reminder x channel), duplicated ${duplicated}; ` +
        `webhook calls per reminder ${webhookCalls.join(',')} (redeliveries dropped by the receiver's delivery-id check)`,
    );
    const emailSends = owners.map((o) => smtp.received.filter((m) => m.to.includes(o.email)).length);
    console.log(`e-mails sent per owner ${emailSends.join(',')} (a resend keeps its Message-ID)`);
    const emailDeliveryIds = new Set(deliveries.filter((d) => d.channel === 'EMAIL').map((d) => `<${d.id}@carhealth.local>`));
    // (Only this test's owners: the worker sweeps the whole database, so a reminder left by another test file can
    // reach this sink too.)
    const ownMails = smtp.received.filter((m) => owners.some((o) => m.to.includes(o.email)));
    expect(ownMails.map((m) => messageIdOf(m.raw)).filter((id) => !emailDeliveryIds.has(id ?? ''))).toEqual([]);
    const inDoubt = deliveries.flatMap((d) => d.attemptLog).filter((a) => a.detail?.startsWith('in doubt')).length;
    console.log(`attempts logged as in doubt after the crash: ${inDoubt}`);

    expect(perChannel).toEqual({ push: owners.map(() => 1), email: owners.map(() => 1), webhook: reminders.map(() => 1) });
    expect(webhook.requests.every((q) => q.verified)).toBe(true);
  });
});
