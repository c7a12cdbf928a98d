import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { type ChannelKind, type DeliveryResult, MAX_DELIVERY_ATTEMPTS, nextRetryDelay, type RenderedMessage, shouldRetry } from '#app/notifications';
import type { JobOutcome } from '#app/queue';
import { DeliveryChannels } from './delivery-channels.provider.js';
import { deliveryMessageOf } from './delivery-message.renderer.js';

/** What one send produced, before it is written: the delivery's result and one log row per attempt. */
interface SendReport {
  result: DeliveryResult;
  log: { ok: boolean; statusCode?: number; detail?: string; durationMs: number }[];
}

interface Claimed {
  id: string;
  attempts: number;
  channel: ChannelKind;
  reminderId: string;
  userId: string;
}

const NOTIFIABLE = new Set(['OPEN', 'ACKNOWLEDGED']);
const PUSH_PREFIX = 'push ';

/**
 * Sends one NotificationDelivery row. The guarantee, with the statuses the schema has:
 *
 * 1. Claim: one UPDATE moves a due PENDING/HELD row to attempt n and leases it (holdUntil = now + lease),
 *    so no other job or replica sends it meanwhile. A SENT, GONE or FAILED row is never claimed again.
 * 2. Send, carrying the delivery id: the webhook's X-CarHealth-Delivery header, the e-mail's Message-ID,
 *    the push notification's tag (plus a Topic per reminder, so the push service keeps one undelivered notice).
 * 3. Record: the attempt log and the row's new status in one transaction.
 *
 * A crash between 2 and 3 leaves attempt n claimed but unlogged. When the lease ends the row is claimed
 * again; the gap is logged as "in doubt" and the message is sent again with the same delivery id. So:
 * every delivery is sent at least once (until MAX_DELIVERY_ATTEMPTS), never again once SENT is committed.
 * A crash in the milliseconds between the peer's answer and our commit makes a second send unavoidable
 * (no peer can be asked "did you get it?"), so every channel carries an identity the owner's side dedups
 * on: the webhook receiver drops a repeated delivery id, the mailbox shows one message per Message-ID,
 * the phone replaces a notification with the same tag.
 */
@Injectable()
export class NotificationDeliveryService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: WorkerConfig,
    private readonly prisma: PrismaService,
    private readonly channels: DeliveryChannels,
  ) {}

  async deliver(deliveryId: string, now: Date): Promise<JobOutcome> {
    const delivery = await this.prisma.notificationDelivery.findUnique({
      where: { id: deliveryId },
      include: { reminder: { select: { status: true } } },
    });
    if (delivery === null) return { status: 'skipped', reason: 'delivery not found' };
    if (delivery.status !== 'PENDING' && delivery.status !== 'HELD') return { status: 'skipped', reason: `already ${delivery.status}` };
    if (!NOTIFIABLE.has(delivery.reminder.status)) {
      // Snoozed, booked or closed since it was planned (e.g. held overnight): the owner already acted.
      await this.prisma.notificationDelivery.updateMany({
        where: { id: deliveryId, status: { in: ['PENDING', 'HELD'] } },
        data: { status: 'FAILED', lastError: `cancelled: reminder ${delivery.reminder.status}`, holdUntil: null },
      });
      return { status: 'skipped', reason: `reminder ${delivery.reminder.status}` };
    }
    const claimed = await this.claim(deliveryId, now);
    if (claimed === undefined) return { status: 'skipped', reason: 'not due yet or being sent by another job' };

    const report = await this.send(claimed, now);
    return this.record(claimed, report, new Date());
  }

  private async claim(deliveryId: string, now: Date): Promise<Claimed | undefined> {
    const leaseUntil = new Date(now.getTime() + this.leaseMs());
    const rows = await this.prisma.$queryRaw<Claimed[]>`
      UPDATE notification_deliveries
      SET attempts = attempts + 1, status = 'PENDING', "holdUntil" = ${leaseUntil}, "updatedAt" = ${now}
      WHERE id = ${deliveryId}::uuid AND status IN ('PENDING', 'HELD') AND ("holdUntil" IS NULL OR "holdUntil" <= ${now})
      RETURNING id, attempts, channel::text AS channel, "reminderId", "userId"`;
    const claimed = rows[0];
    if (claimed === undefined) return undefined;
    const logged = await this.prisma.deliveryAttempt.aggregate({ where: { deliveryId }, _max: { attempt: true } });
    const lastLogged = logged._max.attempt ?? 0;
    if (lastLogged < claimed.attempts - 1) {
      await this.prisma.deliveryAttempt.create({
        data: {
          deliveryId,
          attempt: claimed.attempts - 1,
          ok: false,
          detail: 'in doubt: the worker stopped during this attempt; sent again with the same delivery id',
        },
      });
    }
    return claimed;
  }

  private async send(claimed: Claimed, now: Date): Promise<SendReport> {
    const reminder = await this.prisma.reminder.findUniqueOrThrow({
      where: { id: claimed.reminderId },
      include: { owner: { select: { email: true, preference: true } } },
    });
    const preference = reminder.owner.preference;
    const message = deliveryMessageOf(reminder, this.config.notifications.appUrl);
    switch (claimed.channel) {
      case 'WEB_PUSH':
        // The delivery id becomes the notification's tag: a resend after a crash replaces, not adds.
        return this.sendPush(claimed, { ...message, data: { ...message.data, deliveryId: claimed.id } });
      case 'WEBHOOK': {
        const url = preference?.webhookUrl;
        const secret = preference?.webhookSecret;
        if (!url || !secret) {
          return single({ ok: false, retryable: false, detail: 'no webhook URL or secret configured' }, 0);
        }
        return timed(() => this.channels.webhook.send({ url, secret, deliveryId: claimed.id }, message));
      }
      case 'EMAIL':
        return timed(() => this.channels.email.send({ to: preference?.email ?? reminder.owner.email, deliveryId: claimed.id }, message));
      case 'IN_APP':
        return timed(() =>
          this.channels.inApp.send(
            { userId: claimed.userId },
            { ...message, data: { ...message.data, event: 'notification', at: now.toISOString() } },
          ),
        );
    }
  }

  /** Every subscription of the owner, in parallel; one log row each. Subscriptions already reached by this delivery are skipped. */
  private async sendPush(claimed: Claimed, message: RenderedMessage): Promise<SendReport> {
    const [subscriptions, reached] = await Promise.all([
      this.prisma.pushSubscription.findMany({ where: { userId: claimed.userId } }),
      this.prisma.deliveryAttempt.findMany({
        where: { deliveryId: claimed.id, ok: true, detail: { startsWith: PUSH_PREFIX } },
        select: { detail: true },
      }),
    ]);
    const done = new Set(reached.map((row) => row.detail?.slice(PUSH_PREFIX.length, PUSH_PREFIX.length + 36)));
    const pending = subscriptions.filter((s) => !done.has(s.id));
    if (pending.length === 0) {
      return done.size > 0
        ? { result: { ok: true }, log: [] }
        : single({ ok: false, retryable: false, gone: true, detail: 'no push subscriptions' }, 0);
    }
    const results = await Promise.all(
      pending.map(async (subscription) => {
        const started = performance.now();
        const result = await this.channels.webPush.send(subscription, message);
        const durationMs = Math.round(performance.now() - started);
        const detail = `${PUSH_PREFIX}${subscription.id}: ${result.ok ? 'accepted' : result.detail}`;
        // Logged the moment the push service answers, not with the delivery's status: a crash later in
        // this attempt then resends only to the subscriptions that have no accepted row.
        const logged = this.prisma.deliveryAttempt.create({
          data: { deliveryId: claimed.id, attempt: claimed.attempts, ok: result.ok, statusCode: result.statusCode ?? null, detail, durationMs },
        });
        if (result.ok) {
          await this.prisma.$transaction([
            logged,
            this.prisma.pushSubscription.updateMany({ where: { id: subscription.id }, data: { lastSuccessAt: new Date() } }),
          ]);
        } else if (result.gone) {
          // The browser unsubscribed or the subscription expired: it can never receive anything again.
          await this.prisma.$transaction([logged, this.prisma.pushSubscription.deleteMany({ where: { id: subscription.id } })]);
        } else {
          await logged;
        }
        return result;
      }),
    );
    const log: SendReport['log'] = [];
    const failures = results.filter((r) => !r.ok);
    const retryable = failures.find((r) => r.retryable);
    if (retryable !== undefined) return { result: retryable, log };
    if (failures.length < results.length || done.size > 0) return { result: { ok: true }, log };
    const allGone = failures.every((r) => r.gone === true);
    return { result: allGone ? failures[0] : (failures.find((r) => !r.gone) ?? failures[0]), log };
  }

  private async record(claimed: Claimed, report: SendReport, now: Date): Promise<JobOutcome> {
    const { result } = report;
    const again = shouldRetry(claimed.attempts, result);
    const data = result.ok
      ? { status: 'SENT' as const, sentAt: now, holdUntil: null, lastError: null }
      : result.gone
        ? { status: 'GONE' as const, holdUntil: null, lastError: result.detail }
        : again
          ? { status: 'PENDING' as const, holdUntil: new Date(now.getTime() + nextRetryDelay(claimed.attempts, result)), lastError: result.detail }
          : { status: 'FAILED' as const, holdUntil: null, lastError: result.detail };
    await this.prisma.$transaction([
      this.prisma.deliveryAttempt.createMany({
        data: report.log.map((entry) => ({
          deliveryId: claimed.id,
          attempt: claimed.attempts,
          ok: entry.ok,
          statusCode: entry.statusCode ?? null,
          detail: entry.detail ?? null,
          durationMs: entry.durationMs,
        })),
      }),
      this.prisma.notificationDelivery.update({ where: { id: claimed.id }, data }),
    ]);
    const tag = `${claimed.channel} attempt ${claimed.attempts}/${MAX_DELIVERY_ATTEMPTS}`;
    if (result.ok) return { status: 'done', detail: `${tag}: sent` };
    return { status: 'done', detail: `${tag}: ${data.status}${again ? ` until ${data.holdUntil?.toISOString()}` : ''} (${result.detail})` };
  }

  /** Longer than any send can take (SMTP has connect, greeting and socket timeouts in a row), plus margin. */
  private leaseMs(): number {
    const n = this.config.notifications;
    return 3 * Math.max(n.webPushTimeoutMs, n.webhookTimeoutMs, n.smtp.timeoutMs) + 5_000;
  }
}

async function timed(send: () => Promise<DeliveryResult>): Promise<SendReport> {
  const started = performance.now();
  const result = await send();
  return single(result, Math.round(performance.now() - started));
}

function single(result: DeliveryResult, durationMs: number): SendReport {
  return {
    result,
    log: [{ ok: result.ok, statusCode: result.statusCode, detail: result.ok ? undefined : result.detail, durationMs }],
  };
}
