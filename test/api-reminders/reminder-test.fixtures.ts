import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '#app/database';
import { type ComponentName, itemContentOf, type ReminderContent, summarizeVisit, visitOf } from '#app/notifications';
import type { createTenant } from '../api/api-test.fixtures.js';

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

type Component = ReminderContent['component'];

export interface ReminderSeed {
  component?: Component;
  code?: string;
  subject?: string;
  risk?: ReminderContent['risk'];
  status?: 'OPEN' | 'ACKNOWLEDGED' | 'SNOOZED' | 'BOOKED' | 'DONE' | 'RESOLVED';
  createdAt?: Date;
  dueAt?: Date;
}

/** A reminder row as the worker writes it for a prediction finding (content = ReminderContent). */
export async function createReminder(prisma: PrismaClient, tenant: Tenant, seed: ReminderSeed = {}) {
  const component = seed.component ?? 'TIRES';
  const code = seed.code ?? 'TIRE_TREAD_WEAR';
  const subject = seed.subject ?? 'FL';
  const risk = seed.risk ?? 'SOON';
  const dueAt = seed.dueAt ?? new Date(Date.now() + 20 * 86_400_000);
  const closed = seed.status === 'DONE' || seed.status === 'RESOLVED';
  const content: ReminderContent = {
    component,
    risk,
    finding: { code, subject, message: `Tyre ${subject} tread is wearing down.`, params: { wheel: subject, treadMm: 2.4, daysToLimit: 20 } },
    dueAt: dueAt.toISOString(),
    dueOdometerKm: 45_000,
    vehicle: { make: tenant.vehicle.make, model: tenant.vehicle.model, plate: null },
  };
  return prisma.reminder.create({
    data: {
      vehicleId: tenant.vehicle.id,
      ownerId: tenant.owner.id,
      serviceCenterId: tenant.center.id,
      component,
      dedupKey: `${tenant.vehicle.id}:${component}:${code}:${subject}`,
      visitKey: visitKeyOf(tenant.vehicle.id, component, `${component}:${code}:${subject}`),
      status: seed.status ?? 'OPEN',
      risk,
      dueAt,
      dueOdometerKm: 45_000,
      content: content as unknown as Prisma.InputJsonValue,
      notifyCount: 1,
      lastNotifiedAt: new Date(),
      nextNotifyAt: closed ? null : new Date(Date.now() + 86_400_000),
      ...(closed ? { closedAt: new Date(), closedReason: 'finding gone' } : {}),
      ...(seed.createdAt ? { createdAt: seed.createdAt } : {}),
      items: {
        create: {
          dedupKey: `${tenant.vehicle.id}:${component}:${code}:${subject}`,
          component,
          code,
          subject,
          status: seed.status === 'DONE' ? 'DONE' : seed.status === 'RESOLVED' ? 'RESOLVED' : 'OPEN',
          risk,
          dueAt,
          dueOdometerKm: 45_000,
          finding: content.finding as unknown as Prisma.InputJsonValue,
        },
      },
    },
  });
}

/** The visit a need is fixed at, as the worker keys it (reminder-evaluation.policy.ts visitKeyOf). */
export function visitKeyOf(vehicleId: string, component: ComponentName, need: string): string {
  const visit = visitOf(component);
  return visit === null ? `${vehicleId}:${need}` : `${vehicleId}:visit:${visit}`;
}

export function uniquePrefix(label: string): string {
  return `api-reminders-${label}-${randomUUID().slice(0, 8)}`;
}

/**
 * A tyre-shop visit as the worker writes it after a score: one reminder, one need per worn wheel (tread in mm),
 * its content built by the same summarizeVisit the worker and the API use.
 */
export async function createTyreVisitReminder(prisma: PrismaClient, tenant: Tenant, treadMm: Partial<Record<'FL' | 'FR' | 'RL' | 'RR', number>>) {
  const vehicleId = tenant.vehicle.id;
  const wheels = Object.entries(treadMm);
  const dueAt = new Date(Date.now() + 10 * 86_400_000);
  const needKey = (wheel: string) => `${vehicleId}:TIRES:TIRE_TREAD_WEAR:${wheel}`;
  const reminder = await prisma.reminder.create({
    data: {
      vehicleId,
      ownerId: tenant.owner.id,
      serviceCenterId: tenant.center.id,
      component: 'TIRES',
      dedupKey: needKey(wheels[0]?.[0] ?? 'FL'),
      visitKey: visitKeyOf(vehicleId, 'TIRES', 'TIRES'),
      risk: 'SOON',
      content: {},
      notifyCount: 1,
      lastNotifiedAt: new Date(),
      nextNotifyAt: new Date(Date.now() + 86_400_000),
      items: {
        create: wheels.map(([wheel, mm]) => ({
          dedupKey: needKey(wheel),
          component: 'TIRES' as const,
          code: 'TIRE_TREAD_WEAR',
          subject: wheel,
          risk: 'SOON' as const,
          dueAt,
          finding: { code: 'TIRE_TREAD_WEAR', subject: wheel, message: `${wheel} tyre: ${String(mm)} mm of tread.`, params: { wheel, treadMm: mm } },
        })),
      },
    },
    include: { items: true },
  });
  const summary = summarizeVisit({
    reminderId: reminder.id,
    visit: 'TIRES',
    vehicle: { make: tenant.vehicle.make, model: tenant.vehicle.model, plate: null },
    items: reminder.items.map(itemContentOf),
  });
  return prisma.reminder.update({
    where: { id: reminder.id },
    data: { dueAt: summary.dueAt, content: JSON.parse(JSON.stringify(summary.content)) as Prisma.InputJsonObject },
    include: { items: true },
  });
}
