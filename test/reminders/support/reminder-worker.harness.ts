// The reminder worker as the reminder e2e tests run it: the real WorkerModule in this process, on a queue prefix of
// its own, with every channel wired to a local peer (push service, SMTP server, webhook receiver) and a fast
// notification sweep, plus what each test asks of the peers.
import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { createPrismaClient, type PrismaClient, PrismaService } from '#app/database';
import { VapidKeyStore } from '#app/notifications';
import { VehicleScoringService } from '../../../apps/worker/src/scoring/vehicle-scoring.service.js';
import { WorkerModule } from '../../../apps/worker/src/worker.module.js';
import { LocalPushService } from '../../notifications/support/push-service.js';
import { LocalSmtpServer } from '../../notifications/support/smtp-sink.js';
import { LocalWebhookReceiver } from '../../notifications/support/webhook-receiver.js';
import { testEnv } from '../../support/test-env.js';
import { WEBHOOK_SECRET } from './reminder-scenario.js';

/** The worker's notification sweep in these tests: short, so a due notification goes out at once. */
export const SWEEP_MS = 300;

export interface ReminderWorker {
  prisma: PrismaClient;
  worker: INestApplicationContext;
  scoring: VehicleScoringService;
  push: LocalPushService;
  smtp: LocalSmtpServer;
  webhook: LocalWebhookReceiver;
  vapidPublicKey: string;
  /** The worker's QUEUE_PREFIX (its live events carry it). */
  queuePrefix: string;
  /** Stops the worker and the peers, and disconnects. */
  close(): Promise<void>;
}

/** `label` names the run's queue prefix and key folder (`test-<label>-…`). */
export async function startReminderWorker(label: string): Promise<ReminderWorker> {
  const prisma = createPrismaClient(testEnv.databaseUrl, 4);
  const push = new LocalPushService();
  const smtp = new LocalSmtpServer();
  const webhook = new LocalWebhookReceiver(WEBHOOK_SECRET);
  await Promise.all([push.start(), smtp.start(), webhook.start()]);
  const keyFile = join(await mkdtemp(join(tmpdir(), `${label}-e2e-`)), 'vapid.json');
  const vapidPublicKey = (await new VapidKeyStore(keyFile).load()).publicKey;
  // The worker reads its configuration from the environment at start (libs/config), as in production.
  Object.assign(process.env, {
    QUEUE_PREFIX: `test-${label}-${randomUUID().slice(0, 8)}`,
    RECONCILE_INTERVAL_MS: '3600000',
    NOTIFY_SWEEP_MS: String(SWEEP_MS),
    VAPID_KEY_FILE: keyFile,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    // The local push service and webhook receiver: owner URLs reach private addresses only when listed.
    OUTBOUND_ALLOWED_CIDRS: '127.0.0.1/32',
  });
  const worker = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  await worker.init();
  // Prisma loads its query compiler (a dynamic import) on a client's first query, and jest refuses an import between
  // hooks and tests. The worker's sweeps query on timers, so the first one could land in such a gap and leave the
  // worker's client broken for the whole file: load it now, inside the caller's hook.
  await worker.get(PrismaService).vehicle.findFirst({ select: { id: true } });
  return {
    prisma,
    worker,
    scoring: worker.get(VehicleScoringService),
    push,
    smtp,
    webhook,
    vapidPublicKey,
    queuePrefix: worker.get<AppConfig>(APP_CONFIG).queuePrefix,
    close: async () => {
      await worker.close();
      await Promise.all([push.stop(), smtp.stop(), webhook.stop()]);
      await prisma.$disconnect();
    },
  };
}

/** What the peers received for one owner or reminder. */
export const peersOf = ({ push, smtp, webhook }: Pick<ReminderWorker, 'push' | 'smtp' | 'webhook'>) => ({
  pushesTo: (subscriptionId: string) => push.received.filter((p) => p.subscriptionId === subscriptionId),
  mailsTo: (email: string) => smtp.received.filter((m) => m.to.includes(email)),
  hooksFor: (reminderIds: readonly string[]) => webhook.processed.filter((body) => reminderIds.includes(String(body.data.reminderId))),
});
