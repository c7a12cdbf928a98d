// An owner with every channel wired to a local peer, and a car whose front-left tyre is worn to the
// recommended replacement limit, as a workshop inspection recorded it.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '#app/database';
import { createFleet } from '../../support/fixtures.js';
import { testEnv } from '../../support/test-env.js';
import type { LocalPushService } from '../../notifications/support/push-service.js';

export const WEBHOOK_SECRET = 'whsec_reminders_e2e_0123456789abcdef';
const DAY_MS = 86_400_000;

export interface OwnerChannels {
  push: LocalPushService;
  vapidPublicKey: string;
  webhookUrl: string;
  quietHours?: { start: string; end: string; timeZone: string };
}

export interface Scenario {
  ownerId: string;
  vehicleId: string;
  email: string;
  subscriptionId: string;
}

/** A fleet of one car, the owner's preference (webhook, e-mail, quiet hours) and one browser push subscription. */
export async function ownerWithAllChannels(prisma: PrismaClient, channels: OwnerChannels): Promise<Scenario> {
  const fleet = await createFleet(prisma, 1);
  const email = `driver-${randomUUID().slice(0, 8)}@mail.test`;
  await prisma.notificationPreference.create({
    data: {
      userId: fleet.ownerId,
      email,
      webhookUrl: channels.webhookUrl,
      webhookSecret: WEBHOOK_SECRET,
      timeZone: channels.quietHours?.timeZone ?? 'Asia/Shanghai',
      quietHoursStart: channels.quietHours?.start ?? null,
      quietHoursEnd: channels.quietHours?.end ?? null,
    },
  });
  const browser = channels.push.subscribe(channels.vapidPublicKey);
  await prisma.pushSubscription.create({
    data: { id: browser.id, userId: fleet.ownerId, endpoint: browser.endpoint, p256dh: browser.p256dh, auth: browser.auth },
  });
  return { ownerId: fleet.ownerId, vehicleId: fleet.vehicles[0]!.id, email, subscriptionId: browser.id };
}

type Wheel = 'FL' | 'FR' | 'RL' | 'RR';

/**
 * Inspections a month apart; the front-left tyre ends at `frontLeftMm` (3.0 mm and below: replace soon), the
 * others at healthy depths unless `othersMm` wears them too (each wheel loses 1.2 mm over the two months).
 */
export async function inspectTires(
  prisma: PrismaClient,
  vehicleId: string,
  now: Date,
  frontLeftMm: number,
  othersMm: Partial<Record<Exclude<Wheel, 'FL'>, number>> = {},
): Promise<void> {
  const ends: Record<Wheel, number> = { FL: frontLeftMm, FR: othersMm.FR ?? 7, RL: othersMm.RL ?? 7.2, RR: othersMm.RR ?? 7.1 };
  const worn = (wheel: Wheel, wear: number): number => (wheel === 'FL' || othersMm[wheel] !== undefined ? ends[wheel] + wear : ends[wheel]);
  const rows = [];
  for (const [ageDays, odometerKm, wear] of [
    [60, 30_000, 1.2],
    [30, 31_500, 0.6],
    [1, 33_000, 0],
  ] as const) {
    const inspectionId = randomUUID();
    const ts = new Date(now.getTime() - ageDays * DAY_MS);
    for (const position of ['FL', 'FR', 'RL', 'RR'] as const) {
      rows.push({ vehicleId, position, ts, source: 'INSPECTION' as const, inspectionId, odometerKm, treadMm: worn(position, wear) });
    }
  }
  await prisma.tireReading.createMany({ data: rows });
}

export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The Message-ID of a raw e-mail: a resend carries the same one, so a mailbox keeps one message. */
export const messageIdOf = (raw: string): string | undefined => /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(raw)?.[1];

/**
 * The environment of a worker process that delivers to this test's local peers: its own queue prefix, the VAPID
 * key file the push subscriptions were made for, the SMTP sink, and the loopback peers allowed explicitly
 * (owners' URLs never reach private addresses otherwise). `extra` sets what the test is about.
 */
export function reminderWorkerEnv(
  peers: { queuePrefix: string; vapidKeyFile: string; smtpPort: number },
  extra: Record<string, string>,
): Record<string, string> {
  return {
    DATABASE_URL: testEnv.databaseUrl,
    REDIS_URL: testEnv.redisUrl,
    QUEUE_PREFIX: peers.queuePrefix,
    NOTIFY_SWEEP_MS: '300',
    VAPID_KEY_FILE: peers.vapidKeyFile,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(peers.smtpPort),
    OUTBOUND_ALLOWED_CIDRS: '127.0.0.1/32',
    ...extra,
  };
}
