import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#app/database';
import type { ComponentName } from '#app/maintenance';
import { ACTIVE_STATUSES, itemContentOf, reminderContentSchema, type ReminderVehicle, summarizeVisit, type Visit } from '#app/notifications';
import { DeliveryProducer, type DeliveryRequest, type JobOutcome } from '#app/queue';
import { ReminderNotifier } from '../delivery/reminder.notifier.js';
import { contentJsonOf, currentFindingsOf, findingJsonOf } from './reminder-content.mapper.js';
import { type ActiveReminder, evaluateReminders, type Need, type NeedChange, type ReminderAction } from './reminder-evaluation.policy.js';
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
      tx.prediction.findMany({ where: { vehicleId }, select: { component: true, findings: true, dueAt: true, dueOdometerKm: true, scoredAt: true } }),
      tx.reminder.findMany({
        where: { id: { in: locked.map((row) => row.id) } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: {
          id: true,
          visitKey: true,
          status: true,
          risk: true,
          version: true,
          items: { select: { id: true, dedupKey: true, component: true, status: true, risk: true, dueAt: true, closedAt: true } },
        },
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
    const contentVehicle = { make: vehicle.make, model: vehicle.model, plate: vehicle.plate };
    for (const action of actions) {
      if (action.kind === 'create') {
        const id = randomUUID();
        const [lead] = action.needs;
        if (lead === undefined) continue;
        await tx.reminder.create({
          data: {
            id,
            vehicleId,
            ownerId: vehicle.ownerId,
            serviceCenterId: vehicle.serviceCenterId,
            component: lead.current.component,
            dedupKey: lead.dedupKey,
            visitKey: action.visitKey,
            risk: lead.current.finding.risk,
            content: {},
            nextNotifyAt: now,
            items: { create: action.needs.map((need) => itemDataOf(need)) },
          },
        });
        await this.rewrite(tx, id, action.visit, contentVehicle, {});
        requests.push(...(await this.notifier.notify(tx, id, now)));
        events.push({ kind: 'created', reminderId: id });
      } else {
        await this.applyChanges(tx, action.reminder.id, action.changes, now);
        if (action.kind === 'update') {
          await this.rewrite(tx, action.reminder.id, undefined, contentVehicle, {
            version: { increment: 1 },
            ...(action.wake ? { status: 'OPEN', snoozedUntil: null } : {}),
          });
          if (action.notifyNow) requests.push(...(await this.notifier.notify(tx, action.reminder.id, now)));
          events.push({ kind: 'updated', reminderId: action.reminder.id });
        } else {
          await this.rewrite(tx, action.reminder.id, undefined, contentVehicle, {
            status: 'RESOLVED',
            closedAt: now,
            closedReason: action.reason,
            nextNotifyAt: null,
          });
          events.push({ kind: 'closed', reminderId: action.reminder.id });
        }
      }
    }
    return { actions, requests, events };
  }

  private async applyChanges(tx: Prisma.TransactionClient, reminderId: string, changes: readonly NeedChange[], now: Date): Promise<void> {
    for (const change of changes) {
      if (change.kind === 'add') await tx.reminderItem.create({ data: { reminderId, ...itemDataOf(change.need) } });
      else if (change.kind === 'close') {
        await tx.reminderItem.update({ where: { id: change.item.id }, data: { status: 'RESOLVED', closedAt: now, closedReason: change.reason } });
      } else {
        await tx.reminderItem.update({
          where: { id: change.item.id },
          data: { ...itemDataOf(change.need), status: 'OPEN', closedAt: null, closedReason: null },
        });
      }
    }
  }

  /** Rebuilds the reminder's content, risk and due date from its needs as stored now, with the other fields given. */
  private async rewrite(
    tx: Prisma.TransactionClient,
    reminderId: string,
    visit: Visit | null | undefined,
    vehicle: ReminderVehicle,
    fields: Prisma.ReminderUpdateInput,
  ): Promise<void> {
    const reminder = await tx.reminder.findUniqueOrThrow({ where: { id: reminderId }, select: { content: true, items: true } });
    const stored = reminderContentSchema.safeParse(reminder.content);
    const summary = summarizeVisit({
      reminderId,
      visit: visit !== undefined ? visit : stored.success ? (stored.data.visit ?? null) : null,
      vehicle,
      items: reminder.items.map(itemContentOf),
    });
    await tx.reminder.update({
      where: { id: reminderId },
      data: { ...fields, risk: summary.risk, dueAt: summary.dueAt, dueOdometerKm: summary.dueOdometerKm, content: contentJsonOf(summary.content) },
    });
  }
}

function itemDataOf({ dedupKey, current }: Need) {
  return {
    dedupKey,
    component: current.component,
    code: current.finding.code,
    subject: current.finding.subject,
    risk: current.finding.risk,
    dueAt: current.dueAt,
    dueOdometerKm: current.dueOdometerKm,
    finding: findingJsonOf(current.finding),
  };
}
