import { Injectable } from '@nestjs/common';
import { PrismaService } from '#app/database';
import { DeliveryProducer, type DeliveryRequest, type JobOutcome } from '#app/queue';
import { ReminderEventsPublisher } from '../reminders/reminder-events.publisher.js';
import { ReminderNotifier } from './reminder.notifier.js';

const REMINDER_BATCH = 200;
const DELIVERY_BATCH = 1000;

/**
 * Postgres decides what is due, not Redis: open reminders whose repeat time came, snoozes that ended,
 * and deliveries whose hold, retry time or lease passed (a lost or never-queued job is only late).
 * SKIP LOCKED lets several worker replicas sweep at once without planning a notification twice.
 */
@Injectable()
export class NotificationSweepService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly notifier: ReminderNotifier,
    private readonly deliveries: DeliveryProducer,
    private readonly events: ReminderEventsPublisher,
  ) {}

  async sweep(now: Date): Promise<JobOutcome> {
    const { requests, woken } = await this.prisma.$transaction(
      async (tx) => {
        const due = await tx.$queryRaw<{ id: string; status: string }[]>`
          SELECT id, status::text AS status FROM reminders
          WHERE (status = 'OPEN' AND "nextNotifyAt" <= ${now})
             OR (status = 'SNOOZED' AND "snoozedUntil" <= ${now})
          ORDER BY "nextNotifyAt" NULLS FIRST LIMIT ${REMINDER_BATCH}
          FOR UPDATE SKIP LOCKED`;
        const planned: DeliveryRequest[] = [];
        const wokenIds: string[] = [];
        for (const reminder of due) {
          if (reminder.status === 'SNOOZED') {
            await tx.reminder.update({ where: { id: reminder.id }, data: { status: 'OPEN', snoozedUntil: null } });
            wokenIds.push(reminder.id);
          }
          planned.push(...(await this.notifier.notify(tx, reminder.id, now)));
        }
        return { requests: planned, woken: wokenIds };
      },
      { timeout: 60_000 },
    );
    const dueDeliveries = await this.prisma.notificationDelivery.findMany({
      where: { status: { in: ['PENDING', 'HELD'] }, OR: [{ holdUntil: null }, { holdUntil: { lte: now } }] },
      orderBy: { holdUntil: 'asc' },
      take: DELIVERY_BATCH,
      select: { id: true },
    });
    const planned = new Set(requests.map((r) => r.deliveryId));
    await this.deliveries.requestDeliveries(
      [...requests, ...dueDeliveries.filter((d) => !planned.has(d.id)).map((d) => ({ deliveryId: d.id }))],
      now,
    );
    await this.events.publish(
      woken.map((reminderId) => ({ kind: 'updated' as const, reminderId })),
      now,
    );
    return {
      status: 'done',
      detail: `${requests.length} delivery(ies) planned, ${woken.length} snooze(s) ended, ${dueDeliveries.length} due queued`,
    };
  }
}
