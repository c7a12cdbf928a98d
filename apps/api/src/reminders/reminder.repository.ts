import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#app/database';
import { ACTIVE_STATUSES, CLOSED_STATUSES, isActiveStatus, isClosedStatus, type ReminderStatus, resolvePreferences } from '#app/notifications';
import type { VehicleScope } from '../common/vehicle-scope.model.js';
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

  /** Active reminders first, then closed ones; newest first within each. */
  async list(where: Prisma.ReminderWhereInput, query: ListRemindersQuery): Promise<ReminderRow[]> {
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

  async findInScope(scope: VehicleScope, id: string, client: Prisma.TransactionClient = this.prisma): Promise<ReminderRow | null> {
    return client.reminder.findFirst({ where: { id, ...reminderScopeFilter(scope) }, include: reminderViewInclude });
  }

  /** The reader's language and time zone for rendering (their preference, or the defaults). */
  async readerOf(userId: string): Promise<Reader> {
    const preference = await this.prisma.notificationPreference.findUnique({
      where: { userId },
      select: { language: true, timeZone: true },
    });
    const { language, timeZone } = resolvePreferences(preference);
    return { language, timeZone };
  }
}

/** Owners see their own reminders; staff those of vehicles their center services now. */
export function reminderScopeFilter(scope: VehicleScope): Prisma.ReminderWhereInput {
  switch (scope.kind) {
    case 'owner':
      return { ownerId: scope.userId };
    case 'center':
      return { vehicle: { serviceCenterId: scope.serviceCenterId } };
  }
}

function statusesOf(filter: ListRemindersQuery['status']): ReminderStatus[] {
  if (filter === undefined) return [...ACTIVE_STATUSES, ...CLOSED_STATUSES];
  if (filter === 'active') return [...ACTIVE_STATUSES];
  if (filter === 'closed') return [...CLOSED_STATUSES];
  return [filter];
}
