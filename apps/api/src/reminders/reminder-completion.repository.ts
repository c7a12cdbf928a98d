import { recordMaintenanceInput } from '../vehicle-health/maintenance-input.repository.js';
import type { Prisma, Transaction } from '#app/database';
import type { ComponentName } from '#app/maintenance';
import { reminderContentSchema } from '#app/notifications';
import { type ServiceForFinding, serviceForFinding } from './service-kind.policy.js';

export interface CompletionInput {
  performedAt: Date;
  odometerKm?: number | null;
  notes?: string | null;
  createdById: string;
  /** The work staff name when they know better than the finding (an appointment completed); derived when absent. */
  service?: ServiceForFinding | null;
}

export interface ReminderToComplete {
  id: string;
  vehicleId: string;
  component: ComponentName;
  content: Prisma.JsonValue;
}

export interface RecordedService {
  id: string;
  vehicleId: string;
  kind: string;
  positions: string[];
  performedAt: string;
  odometerKm: number | null;
}

/** A need the work fixed: what the service record is derived from. */
export interface FixedNeed {
  component: ComponentName;
  code: string;
  subject: string;
}

/**
 * Writes the service records that fix the reminder's open needs (or the `needs` given: two of four wheels),
 * inside the caller's transaction (reminder done, or the appointment for it completed): one record per kind of
 * work, with every wheel it was done at (four worn tyres: one TIRE_REPLACEMENT at FL, FR, RL, RR). Recorded at
 * the vehicle's current service center; the odometer defaults to the vehicle's last known reading.
 */
export async function recordServiceForReminder(
  tx: Transaction,
  reminder: ReminderToComplete,
  input: CompletionInput,
  needs: readonly FixedNeed[] = openNeedsOf(reminder),
): Promise<RecordedService[]> {
  const services = input.service ? [input.service] : mergeByKind(needs.map((need) => serviceForFinding(need.component, need.code, need.subject)));
  const vehicle = await tx.vehicle.findUniqueOrThrow({ where: { id: reminder.vehicleId }, select: { serviceCenterId: true, odometerKm: true } });
  const recorded: RecordedService[] = [];
  for (const service of services) {
    const record = await tx.serviceRecord.create({
      data: {
        vehicleId: reminder.vehicleId,
        serviceCenterId: vehicle.serviceCenterId,
        kind: service.kind,
        positions: service.positions,
        performedAt: input.performedAt,
        odometerKm: input.odometerKm ?? vehicle.odometerKm,
        notes: input.notes ?? null,
        reminderId: reminder.id,
        createdById: input.createdById,
      },
    });
    recorded.push({
      id: record.id,
      vehicleId: record.vehicleId,
      kind: record.kind,
      positions: record.positions,
      performedAt: record.performedAt.toISOString(),
      odometerKm: record.odometerKm,
    });
  }
  const [first] = recorded;
  // Same transaction: the worker's reconciler rescores the vehicle even if the rescore job is lost.
  if (first !== undefined) await recordMaintenanceInput(tx, { vehicleId: first.vehicleId, at: input.performedAt, odometerKm: first.odometerKm });
  return recorded;
}

/** The reminder's open needs, from its content (a reminder written before visits: its one finding). */
function openNeedsOf(reminder: ReminderToComplete): FixedNeed[] {
  const content = reminderContentSchema.safeParse(reminder.content);
  if (!content.success) return [{ component: reminder.component, code: '', subject: '' }];
  const items = content.data.items ?? [];
  const open = items.filter((item) => item.status === 'OPEN');
  const findings =
    items.length > 0
      ? open.map((item) => ({ component: item.component, ...item.finding }))
      : [{ component: reminder.component, ...content.data.finding }];
  return findings.map(({ component, code, subject }) => ({ component, code, subject }));
}

/** One record per kind of work: the wheels of the same kind together, each wheel once. */
function mergeByKind(services: readonly ServiceForFinding[]): ServiceForFinding[] {
  const byKind = new Map<ServiceForFinding['kind'], ServiceForFinding>();
  for (const service of services) {
    const seen = byKind.get(service.kind);
    byKind.set(
      service.kind,
      seen === undefined ? { ...service } : { kind: service.kind, positions: [...new Set([...seen.positions, ...service.positions])] },
    );
  }
  return [...byKind.values()];
}
