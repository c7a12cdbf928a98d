import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#app/database';
import type { ComponentName } from '#app/maintenance';
import { ACTIVE_STATUSES } from '#app/notifications';
import { DeliveryProducer, type DeliveryRequest, type JobOutcome } from '#app/queue';
import { ReminderNotifier } from '../delivery/reminder.notifier.js';
import { currentFindingsOf, reminderContentOf } from './reminder-content.mapper.js';
import { type ActiveReminder, evaluateReminders, type ReminderAction } from './reminder-evaluation.policy.js';
import { type ReminderEvent, ReminderEventsPublisher } from './reminder-events.publisher.js';

/**
 * Brings a vehicle's reminders in line with its stored predictions, after each score. The read,
 * decision and writes happen in one transaction under a per-vehicle advisory lock with the active
 * reminders locked, so an owner's acknowledge or snooze (the API) is never overwritten by a stale read.
 */
@Injectable()
export class ReminderEvaluationService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly notifier: ReminderNotifier,
    private readonly deliveries: DeliveryProducer,
    private readonly events: ReminderEventsPublisher,
  ) {}

  async evaluate(vehicleId: string, now: Date): Promise<JobOutcome> {
    const result = await this.prisma.$transaction((tx) => this.apply(tx, vehicleId, now), { timeout: 30_000 });
    if (result === undefined) return { status: 'skipped', reason: 'vehicle not found' };
    // After commit: a job that is lost here is only late (the sweep queues every due row).
    await this.deliveries.requestDeliveries(result.requests, now);
    await this.events.publish(result.events, now);
    const counts = (['create', 'update', 'close'] as const).map((kind) => `${result.actions.filter((a) => a.kind === kind).length} ${kind}`);
    return { status: 'done', detail: `reminders: ${counts.join(', ')}` };
  }

  private async apply(
    tx: Prisma.TransactionClient,
    vehicleId: string,
    now: Date,
  ): Promise<{ actions: ReminderAction[]; requests: DeliveryRequest[]; events: ReminderEvent[] } | undefined> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`reminders:${vehicleId}`}, 0))`;
    const vehicle = await tx.vehicle.findUnique({
      where: { id: vehicleId },
      select: { ownerId: true, serviceCenterId: true, make: true, model: true, plate: true },
    });
    if (vehicle === null) return undefined;
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM reminders WHERE "vehicleId" = ${vehicleId}::uuid AND status::text = ANY(${[...ACTIVE_STATUSES]}) FOR UPDATE`;
    const [predictions, active] = await Promise.all([
      tx.prediction.findMany({ where: { vehicleId }, select: { component: true, findings: true, dueAt: true, dueOdometerKm: true } }),
      tx.reminder.findMany({
        where: { id: { in: locked.map((row) => row.id) } },
        orderBy: { createdAt: 'asc' },
        select: { id: true, dedupKey: true, component: true, status: true, risk: true, dueAt: true, version: true },
      }),
    ]);
    const actions = evaluateReminders({
      vehicleId,
      findings: currentFindingsOf(predictions),
      scoredComponents: new Set<ComponentName>(predictions.map((p) => p.component)),
      active: active as ActiveReminder[],
      now,
    });
    const requests: DeliveryRequest[] = [];
    const events: ReminderEvent[] = [];
    for (const action of actions) {
      if (action.kind === 'create') {
        const id = randomUUID();
        const { current } = action;
        await tx.reminder.create({
          data: {
            id,
            vehicleId,
            ownerId: vehicle.ownerId,
            serviceCenterId: vehicle.serviceCenterId,
            component: current.component,
            dedupKey: action.dedupKey,
            risk: current.finding.risk,
            dueAt: current.dueAt,
            dueOdometerKm: current.dueOdometerKm,
            content: reminderContentOf(current, vehicle, id),
            nextNotifyAt: now,
          },
        });
        requests.push(...(await this.notifier.notify(tx, id, now)));
        events.push({ kind: 'created', reminderId: id });
      } else if (action.kind === 'update') {
        const { reminder, current } = action;
        await tx.reminder.update({
          where: { id: reminder.id },
          data: {
            risk: current.finding.risk,
            dueAt: current.dueAt,
            dueOdometerKm: current.dueOdometerKm,
            content: reminderContentOf(current, vehicle, reminder.id),
            version: { increment: 1 },
            ...(action.wake ? { status: 'OPEN', snoozedUntil: null } : {}),
          },
        });
        if (action.notifyNow) requests.push(...(await this.notifier.notify(tx, reminder.id, now)));
        events.push({ kind: 'updated', reminderId: reminder.id });
      } else {
        await tx.reminder.update({
          where: { id: action.reminder.id },
          data: { status: 'RESOLVED', closedAt: now, closedReason: action.reason, nextNotifyAt: null },
        });
        events.push({ kind: 'closed', reminderId: action.reminder.id });
      }
    }
    return { actions, requests, events };
  }
}
