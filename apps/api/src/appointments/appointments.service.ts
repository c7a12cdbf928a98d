import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { type Prisma, PrismaService } from '#app/database';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { recordServiceForReminder, type RecordedService } from '../reminders/reminder-completion.writer.js';
import { ACTIVE_STATUSES, type ReminderStatus } from '../reminders/reminder-state.policy.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';
import type { AppointmentActionResult, AppointmentView } from './appointment.model.js';
import type {
  CompleteAppointmentRequest,
  ConfirmAppointmentRequest,
  DeclineAppointmentRequest,
  ListAppointmentsQuery,
} from './appointment.schema.js';
import { AppointmentNotFoundError } from './appointment-not-found.error.js';
import { type AppointmentAction, transitionAppointment } from './appointment-state.policy.js';

const withVehicle = { vehicle: { select: { vin: true, make: true, model: true, plate: true } } } satisfies Prisma.AppointmentInclude;
type AppointmentRow = Prisma.AppointmentGetPayload<{ include: typeof withVehicle }>;

type StaffAction =
  | ({ kind: 'confirm' } & ConfirmAppointmentRequest)
  | ({ kind: 'decline' } & DeclineAppointmentRequest)
  | ({ kind: 'complete' } & CompleteAppointmentRequest);

@Injectable()
export class AppointmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly rescore: RescoreRequestService,
  ) {}

  async listMine(user: RequestUser, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    return this.list({ ownerId: user.userId }, query);
  }

  async listForCenter(user: RequestUser, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    const scope = scopeOf(user);
    return this.list(scope.kind === 'center' ? { serviceCenterId: scope.serviceCenterId } : { ownerId: scope.userId }, query);
  }

  /**
   * Staff act on their center's appointments. Declining puts a booked reminder back to OPEN (due
   * now), so the owner hears about the need again instead of it staying silent. Completing closes
   * the reminder as DONE with the service record that fixes it, unless the owner already did.
   */
  async act(user: RequestUser, id: string, action: StaffAction): Promise<AppointmentActionResult> {
    const scope = scopeOf(user);
    const where: Prisma.AppointmentWhereInput =
      scope.kind === 'center' ? { id, serviceCenterId: scope.serviceCenterId } : { id, ownerId: scope.userId };
    const now = new Date();
    const serviceRecord = await this.prisma.$transaction(async (tx): Promise<RecordedService | undefined> => {
      await tx.$queryRaw`SELECT id FROM appointments WHERE id = ${id}::uuid FOR UPDATE`;
      const appointment = await tx.appointment.findFirst({ where });
      if (appointment === null) throw new AppointmentNotFoundError(id);
      const transition = transitionAppointment(appointment.status, toPolicyAction(action), now);
      const notes = action.kind === 'decline' ? appendNote(appointment.notes, `Declined: ${action.reason}`) : appointment.notes;
      await tx.appointment.update({ where: { id }, data: { ...transition, notes } });
      if (appointment.reminderId === null) return undefined;
      if (action.kind === 'decline') {
        await tx.reminder.updateMany({ where: { id: appointment.reminderId, status: 'BOOKED' }, data: { status: 'OPEN', nextNotifyAt: now } });
        return undefined;
      }
      if (action.kind === 'complete') return this.closeReminder(tx, appointment.reminderId, action, user, now);
      return undefined;
    });
    const rescoreRequested = serviceRecord ? (await this.rescore.request(serviceRecord.vehicleId, 'service-record')) === 'requested' : undefined;
    const row = await this.prisma.appointment.findUniqueOrThrow({ where: { id }, include: withVehicle });
    return {
      appointment: toView(row),
      ...(serviceRecord ? { serviceRecord } : {}),
      ...(rescoreRequested !== undefined ? { rescoreRequested } : {}),
    };
  }

  private async closeReminder(
    tx: Prisma.TransactionClient,
    reminderId: string,
    request: CompleteAppointmentRequest,
    user: RequestUser,
    now: Date,
  ): Promise<RecordedService | undefined> {
    await tx.$queryRaw`SELECT id FROM reminders WHERE id = ${reminderId}::uuid FOR UPDATE`;
    const reminder = await tx.reminder.findUnique({ where: { id: reminderId } });
    // Already DONE (the owner marked it) or RESOLVED (a new score cleared it): nothing to record.
    if (reminder === null || !ACTIVE_STATUSES.includes(reminder.status as ReminderStatus)) return undefined;
    const record = await recordServiceForReminder(tx, reminder, {
      performedAt: now,
      odometerKm: request.odometerKm,
      notes: request.notes,
      createdById: user.userId,
    });
    await tx.reminder.update({
      where: { id: reminderId },
      data: { status: 'DONE', closedAt: now, closedReason: 'appointment completed', snoozedUntil: null, nextNotifyAt: null },
    });
    return record;
  }

  private async list(where: Prisma.AppointmentWhereInput, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    const rows = await this.prisma.appointment.findMany({
      where: { ...where, ...(query.status ? { status: query.status } : {}) },
      include: withVehicle,
      orderBy: [{ preferredAt: 'asc' }, { id: 'asc' }],
      take: query.limit,
    });
    return rows.map(toView);
  }
}

function toPolicyAction(action: StaffAction): AppointmentAction {
  return action.kind === 'confirm' ? { kind: 'confirm', scheduledAt: action.scheduledAt } : { kind: action.kind };
}

function appendNote(notes: string | null, line: string): string {
  return notes ? `${notes}\n${line}` : line;
}

function toView(row: AppointmentRow): AppointmentView {
  return {
    id: row.id,
    status: row.status,
    vehicle: row.vehicle,
    serviceCenterId: row.serviceCenterId,
    ownerId: row.ownerId,
    reminderId: row.reminderId,
    preferredAt: row.preferredAt.toISOString(),
    confirmedAt: row.confirmedAt?.toISOString() ?? null,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
