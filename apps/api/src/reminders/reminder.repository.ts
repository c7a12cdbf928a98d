import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService, type Transaction } from '#app/database';
import {
  ACTIVE_STATUSES,
  CLOSED_STATUSES,
  isActiveStatus,
  isClosedStatus,
  itemContentOf,
  reminderContentSchema,
  type ReminderStatus,
  resolvePreferences,
  summarizeVisit,
} from '#app/notifications';
import {
  ACCOUNT_SCOPE,
  type AccountScope,
  type OwnerScope,
  type ScopeFilters,
  scopeWhere,
  type SystemScope,
  type VehicleInScope,
  type VehicleScope,
} from '../common/vehicle-scope.model.js';
import type { ListRemindersQuery } from './reminder.schema.js';
import type { Reader, ReminderRow } from './reminder-view.renderer.js';

export const reminderViewInclude = {
  vehicle: { select: { vin: true, make: true, model: true, plate: true } },
  deliveries: {
    select: { channel: true, status: true, notificationKey: true, attempts: true, sentAt: true, createdAt: true, lastError: true },
    orderBy: { createdAt: 'desc' },
  },
} satisfies Prisma.ReminderInclude;

/** Reminder reads. Every query takes the caller's scope; out of scope reads as absent. */
@Injectable()
export class ReminderRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The owner's feed, across their vehicles. */
  async listForOwner(scope: OwnerScope, query: ListRemindersQuery): Promise<ReminderRow[]> {
    return this.list(scopeWhere(scope, REMINDER_SCOPE), query);
  }

  /** Every reminder of a vehicle the caller reached in its scope. */
  async listForVehicle(vehicle: VehicleInScope, query: ListRemindersQuery): Promise<ReminderRow[]> {
    return this.list({ vehicleId: vehicle.id }, query);
  }

  /** Active reminders first, then closed ones; newest first within each. */
  private async list(where: Prisma.ReminderWhereInput, query: ListRemindersQuery): Promise<ReminderRow[]> {
    const statuses = statusesOf(query.status);
    const active = statuses.filter(isActiveStatus);
    const closed = statuses.filter(isClosedStatus);
    const page = (subset: ReminderStatus[], take: number) =>
      subset.length === 0 || take <= 0
        ? Promise.resolve([])
        : this.prisma.reminder.findMany({
            where: { ...where, status: { in: subset } },
            include: reminderViewInclude,
            orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
            take,
          });
    const activeRows = await page(active, query.limit);
    const closedRows = await page(closed, query.limit - activeRows.length);
    return [...activeRows, ...closedRows];
  }

  async findInScope(scope: ReminderScope, id: string): Promise<ReminderRow | null> {
    return this.prisma.reminder.findFirst({ where: { ...scopeWhere(scope, REMINDER_SCOPE), id }, include: reminderViewInclude });
  }

  /**
   * Locks the row for the rest of the transaction (SELECT ... FOR UPDATE), so a concurrent worker update of
   * the same reminder waits and then sees the new status; then reads it. Null when out of scope.
   */
  async lockInScope(tx: Transaction, scope: ReminderScope, id: string): Promise<LockedReminder | null> {
    const where = { ...scopeWhere(scope, REMINDER_SCOPE), id };
    await tx.$queryRaw`SELECT id FROM reminders WHERE id = ${id}::uuid FOR UPDATE`;
    return tx.reminder.findFirst({ where, include: reminderViewInclude });
  }

  async update(tx: Transaction, scope: ReminderScope, id: string, fields: ReminderFields): Promise<ReminderRecord> {
    return tx.reminder.update({ where: { ...scopeWhere(scope, REMINDER_SCOPE), id }, data: fields });
  }

  /** The reminder's needs, in the caller's transaction (the reminder row is locked by lockInScope). */
  async needsOf(tx: Transaction, reminderId: string): Promise<ReminderNeed[]> {
    return tx.reminderItem.findMany({
      where: { reminderId },
      select: { id: true, component: true, code: true, subject: true, status: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /**
   * Marks needs of a locked reminder DONE and rebuilds what the reminder says (its open needs, risk and due date)
   * from the needs as they are now. The reminder's status is the caller's: open while needs are left.
   */
  async markNeedsDone(tx: Transaction, reminderId: string, needIds: readonly string[], now: Date, reason: string): Promise<void> {
    if (needIds.length === 0) return;
    await tx.reminderItem.updateMany({
      where: { reminderId, id: { in: [...needIds] }, status: 'OPEN' },
      data: { status: 'DONE', closedAt: now, closedReason: reason },
    });
    const reminder = await tx.reminder.findUniqueOrThrow({ where: { id: reminderId }, select: { content: true, items: true } });
    const stored = reminderContentSchema.safeParse(reminder.content);
    // A reminder whose content no longer parses keeps it: its needs' states are in the item rows still.
    if (!stored.success) return;
    const summary = summarizeVisit({
      reminderId,
      visit: stored.data.visit ?? null,
      vehicle: stored.data.vehicle,
      items: reminder.items.map(itemContentOf),
    });
    await tx.reminder.update({
      where: { id: reminderId },
      data: {
        risk: summary.risk,
        dueAt: summary.dueAt,
        dueOdometerKm: summary.dueOdometerKm,
        content: JSON.parse(JSON.stringify(summary.content)) as Prisma.InputJsonObject,
      },
    });
  }

  /** The reader's language and time zone for rendering (their preference, or the defaults). */
  async readerOf(scope: AccountScope): Promise<Reader> {
    const preference = await this.prisma.notificationPreference.findUnique({
      where: scopeWhere(scope, ACCOUNT_SCOPE),
      select: { language: true, timeZone: true },
    });
    const { language, timeZone } = resolvePreferences(preference);
    return { language, timeZone };
  }
}

/** A caller's scope, or the system's for a reminder linked to an appointment already found in scope. */
export type ReminderScope = VehicleScope | SystemScope;
export type ReminderRecord = Prisma.ReminderGetPayload<object>;
export type ReminderNeed = Prisma.ReminderItemGetPayload<{ select: { id: true; component: true; code: true; subject: true; status: true } }>;
export type LockedReminder = Prisma.ReminderGetPayload<{ include: typeof reminderViewInclude }>;
export type ReminderFields = Pick<Prisma.ReminderUncheckedUpdateInput, 'status' | 'snoozedUntil' | 'nextNotifyAt' | 'closedAt' | 'closedReason'>;

/** Owners see their own reminders; staff those of vehicles their center services now. */
const REMINDER_SCOPE: ScopeFilters<ReminderScope, Prisma.ReminderWhereInput> = {
  owner: (scope) => ({ ownerId: scope.userId }),
  center: (scope) => ({ vehicle: { serviceCenterId: scope.serviceCenterId } }),
  system: () => ({}),
};

function statusesOf(filter: ListRemindersQuery['status']): ReminderStatus[] {
  if (filter === undefined) return [...ACTIVE_STATUSES, ...CLOSED_STATUSES];
  if (filter === 'active') return [...ACTIVE_STATUSES];
  if (filter === 'closed') return [...CLOSED_STATUSES];
  return [filter];
}
