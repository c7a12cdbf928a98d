import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import type { Prisma } from '#app/database';
import { configuredRepeatInterval, resolvePreferences, type Risk } from '#app/notifications';
import type { DeliveryRequest } from '#app/queue';
import { notificationKeyOf, planDeliveries } from './notification-plan.policy.js';

/**
 * Turns "tell the owner about this reminder now" into NotificationDelivery rows, inside the caller's
 * transaction (which holds the reminder row locked). The rows are the promise; the jobs that send
 * them are queued by the caller after commit, and the sweep queues any whose job was lost.
 */
@Injectable()
export class ReminderNotifier {
  constructor(@Inject(APP_CONFIG) private readonly config: WorkerConfig) {}

  async notify(tx: Prisma.TransactionClient, reminderId: string, now: Date): Promise<DeliveryRequest[]> {
    const current = await tx.reminder.findUniqueOrThrow({ where: { id: reminderId }, select: { status: true, risk: true } });
    // Only an OPEN reminder repeats; an acknowledged one hears about escalations only.
    const every = current.status === 'OPEN' ? this.repeatEvery(current.risk) : null;
    const reminder = await tx.reminder.update({
      where: { id: reminderId },
      data: { notifyCount: { increment: 1 }, lastNotifiedAt: now, nextNotifyAt: every === null ? null : new Date(now.getTime() + every) },
    });
    const [stored, subscriptions] = await Promise.all([
      tx.notificationPreference.findUnique({ where: { userId: reminder.ownerId } }),
      tx.pushSubscription.count({ where: { userId: reminder.ownerId } }),
    ]);
    const preference = resolvePreferences(stored);
    const plan = planDeliveries({
      preference: {
        channels: preference.channels,
        webhookUrl: preference.webhookUrl,
        timeZone: preference.timeZone,
        quietHoursStart: preference.quietHoursStart,
        quietHoursEnd: preference.quietHoursEnd,
        digest: preference.digest,
        digestTime: this.config.notifications.digestTime,
      },
      risk: reminder.risk,
      hasPushSubscription: subscriptions > 0,
      now,
    });
    const notificationKey = notificationKeyOf(reminder.version, reminder.notifyCount);
    // ON CONFLICT DO NOTHING on (reminderId, channel, notificationKey): a notification is planned once.
    await tx.notificationDelivery.createMany({
      data: plan.map((planned) => ({
        reminderId,
        userId: reminder.ownerId,
        channel: planned.channel,
        notificationKey,
        status: planned.status,
        holdUntil: planned.holdUntil,
      })),
      skipDuplicates: true,
    });
    const rows = await tx.notificationDelivery.findMany({
      where: { reminderId, notificationKey, status: { in: ['PENDING', 'HELD'] } },
      select: { id: true, holdUntil: true },
    });
    return rows.map((row) => ({ deliveryId: row.id, notBefore: row.holdUntil }));
  }

  private repeatEvery(risk: Risk): number | null {
    return configuredRepeatInterval(risk, this.config.notifications.repeatHours);
  }
}
