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

/**
 * Writes the service record that fixes the reminder's finding, inside the caller's transaction
 * (reminder done, or the appointment for it completed). Recorded at the vehicle's current service
 * center; the odometer defaults to the vehicle's last known reading.
 */
export async function recordServiceForReminder(tx: Transaction, reminder: ReminderToComplete, input: CompletionInput): Promise<RecordedService> {
  const content = reminderContentSchema.safeParse(reminder.content);
  const finding = content.success ? content.data.finding : { code: '', subject: '' };
  const service = input.service ?? serviceForFinding(reminder.component, finding.code, finding.subject);
  const vehicle = await tx.vehicle.findUniqueOrThrow({ where: { id: reminder.vehicleId }, select: { serviceCenterId: true, odometerKm: true } });
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
  // Same transaction: the worker's reconciler rescores the vehicle even if the rescore job is lost.
  await recordMaintenanceInput(tx, { vehicleId: record.vehicleId, at: record.performedAt, odometerKm: record.odometerKm });
  return {
    id: record.id,
    vehicleId: record.vehicleId,
    kind: record.kind,
    positions: record.positions,
    performedAt: record.performedAt.toISOString(),
    odometerKm: record.odometerKm,
  };
}
