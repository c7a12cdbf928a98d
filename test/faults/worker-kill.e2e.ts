import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { VapidKeyStore } from '#app/notifications';
import { createRedisConnection, ScoringProducer } from '#app/queue';
import { LocalPushService } from '../notifications/support/push-service.js';
import { LocalSmtpServer } from '../notifications/support/smtp-sink.js';
import { LocalWebhookReceiver } from '../notifications/support/webhook-receiver.js';
import {
  inspectTires,
  messageIdOf,
  ownerWithAllChannels,
  reminderWorkerEnv,
  type Scenario,
  WEBHOOK_SECRET,
  waitUntil,
} from '../reminders/support/reminder-scenario.js';
import { WorkerProcess } from '../reminders/support/worker-process.js';
import { testEnv } from '../support/test-env.js';

const VEHICLES = 40;

/**
 * The worker SIGKILLed in the middle of scoring a fleet whose every car is due a reminder (a tyre at the
 * replacement limit): some cars scored and reminded, some scoring, the rest waiting. After a restart every car
 * has exactly one reminder and every owner heard about it once per channel.
 */
describe('a worker killed mid-scoring', () => {
  let prisma: PrismaClient;
  let redis: Redis;
  let producer: ScoringProducer | undefined;
  let worker: WorkerProcess | undefined;
  const push = new LocalPushService();
  const smtp = new LocalSmtpServer();
  const webhook = new LocalWebhookReceiver(WEBHOOK_SECRET);
  const peers = [push, smtp, webhook];

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

  it(`${VEHICLES} cars due a reminder, SIGKILL mid-scoring: every car reminded once, no delivery doubled`, async () => {
    const keyFile = join(await mkdtemp(join(tmpdir(), 'worker-kill-')), 'vapid.json');
    const vapidPublicKey = (await new VapidKeyStore(keyFile).load()).publicKey;
    const queuePrefix = `test-kill-${randomUUID().slice(0, 8)}`;
    worker = new WorkerProcess(
      reminderWorkerEnv(
        { queuePrefix, vapidKeyFile: keyFile, smtpPort: smtp.port },
        // Postgres is the record: cars the killed worker left half-done are found by the reconciler's sweep.
        { RECONCILE_INTERVAL_MS: '5000' },
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
    const scored = () => prisma.vehicle.count({ where: { id: { in: vehicleIds }, lastScoredAt: { not: null } } });
    const reminded = () => prisma.reminder.count({ where: { vehicleId: { in: vehicleIds } } });

    await worker.start();
    await producer.requestScores(vehicleIds, 'manual', 0);
    await waitUntil(async () => (await scored()) >= 3, 30_000, 'the first cars scored');
    await worker.stop('SIGKILL');
    const scoredAtKill = await scored();
    const remindersAtKill = await reminded();

    const restartedAt = Date.now();
    await worker.start();
    await waitUntil(
      async () => (await scored()) === VEHICLES && (await reminded()) >= VEHICLES,
      150_000,
      'every car scored and reminded after the restart',
    );
    const notSent = () => prisma.notificationDelivery.count({ where: { reminder: { vehicleId: { in: vehicleIds } }, status: { not: 'SENT' } } });
    await waitUntil(async () => (await notSent()) === 0, 90_000, 'every delivery sent');
    const recoveredAfter = (Date.now() - restartedAt) / 1000;

    const reminders = await prisma.reminder.findMany({ where: { vehicleId: { in: vehicleIds } } });
    const deliveries = await prisma.notificationDelivery.findMany({ where: { reminderId: { in: reminders.map((r) => r.id) } } });
    const perVehicle = vehicleIds.map((id) => reminders.filter((r) => r.vehicleId === id).length);
    const rowsPerReminderChannel = new Map<string, number>();
    for (const d of deliveries)
      rowsPerReminderChannel.set(`${d.reminderId}:${d.channel}`, (rowsPerReminderChannel.get(`${d.reminderId}:${d.channel}`) ?? 0) + 1);
    // What each owner was shown: a push tag, an e-mail Message-ID, a webhook delivery id, once each.
    const shown = [
      ...owners.map((o) => push.shownNotifications(o.subscriptionId).length),
      ...owners.map((o) => new Set(smtp.received.filter((m) => m.to.includes(o.email)).map((m) => messageIdOf(m.raw))).size),
      ...reminders.map((r) => webhook.processed.filter((b) => b.data.reminderId === r.id).length),
    ];
    const doubledRows = [...rowsPerReminderChannel.values()].filter((n) => n > 1).length;
    console.log(
      `worker SIGKILL with ${scoredAtKill}/${VEHICLES} cars scored and ${remindersAtKill} reminders: after the restart ` +
        `${reminders.length} reminders for ${VEHICLES} cars, ${deliveries.length} delivery rows (${doubledRows} doubled), ` +
        `owners shown ${shown.filter((n) => n === 1).length}/${shown.length} once, ${shown.filter((n) => n > 1).length} twice or more; ` +
        `all sent ${recoveredAfter.toFixed(1)} s after the restart`,
    );
    expect(scoredAtKill).toBeLessThan(VEHICLES);
    expect(perVehicle).toEqual(vehicleIds.map(() => 1));
    expect(doubledRows).toBe(0);
    expect(deliveries).toHaveLength(VEHICLES * 4);
    expect(shown).toEqual(shown.map(() => 1));
  }, 330_000);
});
