import { Inject, Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { type Prisma, PrismaService } from '#app/database';
import { configuredRepeatInterval, isActiveStatus, type Risk } from '#app/notifications';
import { scopeOf, type VehicleScope } from '../common/vehicle-scope.model.js';
import { type AppointmentEventKind, type OwnerEvent, OwnerEventsPublisher } from '../events/owner-events.publisher.js';
import { recordServiceForReminder, type RecordedService } from '../reminders/reminder-completion.writer.js';
import { type AppointmentEnding, reopenBookedReminder } from '../reminders/reminder-state.policy.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';
import type { AppointmentActionResult, AppointmentView } from './appointment.model.js';
import type {
  CancelAppointmentRequest,
  CompleteAppointmentRequest,
  ConfirmAppointmentRequest,
  DeclineAppointmentRequest,
  ListAppointmentsQuery,
} from './appointment.schema.js';
import { AppointmentNotFoundError } from './appointment-not-found.error.js';
import { type AppointmentAction, transitionAppointment } from './appointment-state.policy.js';

const withVehicle = { vehicle: { select: { vin: true, make: true, model: true, plate: true } } } satisfies Prisma.AppointmentInclude;
type AppointmentRow = Prisma.AppointmentGetPayload<{ include: typeof withVehicle }>;

type ActionInput =
  | ({ kind: 'confirm' } & ConfirmAppointmentRequest)
  | ({ kind: 'decline' } & DeclineAppointmentRequest)
  | ({ kind: 'complete' } & CompleteAppointmentRequest)
  | ({ kind: 'cancel' } & CancelAppointmentRequest);

const EVENT_OF: Record<ActionInput['kind'], AppointmentEventKind> = {
  confirm: 'confirmed',
  decline: 'declined',
  complete: 'completed',
  cancel: 'cancelled',
};

interface ActionOutcome {
  serviceRecord?: RecordedService;
  reminderEvent?: OwnerEvent;
}

@Injectable()
export class AppointmentsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly rescore: RescoreRequestService,
    private readonly events: OwnerEventsPublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async listMine(user: RequestUser, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    return this.list({ ownerId: user.userId }, query);
  }

  async listForCenter(user: RequestUser, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    const scope = scopeOf(user);
    return this.list(scope.kind === 'center' ? { serviceCenterId: scope.serviceCenterId } : { ownerId: scope.userId }, query);
  }

  /**
   * Staff confirm, decline and complete their center's appointments; the owner (or staff) cancel
   * one. An owner only reaches their own appointments, staff only their center's (404 otherwise).
   * Declining or cancelling puts a booked reminder back to OPEN (see reopenBookedReminder for when
   * it is notified next), so the need does not go silent. Completing closes the reminder as DONE
   * with the service record that fixes it, unless the owner already did. The appointment and then
   * its reminder are locked for the whole transaction, like the reminder actions; the owner's open
   * sessions hear about it after the commit.
   */
  async act(user: RequestUser, id: string, action: ActionInput): Promise<AppointmentActionResult> {
    const scope = scopeOf(user);
    const where: Prisma.AppointmentWhereInput =
      scope.kind === 'center' ? { id, serviceCenterId: scope.serviceCenterId } : { id, ownerId: scope.userId };
    const now = new Date();
    const outcome = await this.prisma.$transaction(async (tx): Promise<ActionOutcome> => {
      await tx.$queryRaw`SELECT id FROM appointments WHERE id = ${id}::uuid FOR UPDATE`;
      const appointment = await tx.appointment.findFirst({ where });
      if (appointment === null) throw new AppointmentNotFoundError(id);
      const transition = transitionAppointment(appointment.status, toPolicyAction(action), now);
      await tx.appointment.update({ where: { id }, data: { ...transition, notes: notesAfter(appointment.notes, action, scope.kind) } });
      const { reminderId } = appointment;
      if (reminderId === null) return {};
      if (action.kind === 'decline' || action.kind === 'cancel') {
        const reopened = await this.reopenReminder(tx, reminderId, action.kind === 'decline' ? 'declined' : 'cancelled', now);
        return reopened ? { reminderEvent: { kind: 'updated', reminderId } } : {};
      }
      if (action.kind === 'complete') {
        const serviceRecord = await this.closeReminder(tx, reminderId, action, user, now);
        return serviceRecord ? { serviceRecord, reminderEvent: { kind: 'closed', reminderId } } : {};
      }
      return {};
    });
    await this.events.publish([{ kind: EVENT_OF[action.kind], appointmentId: id }, ...(outcome.reminderEvent ? [outcome.reminderEvent] : [])], now);
    const { serviceRecord } = outcome;
    const rescoreRequested = serviceRecord ? (await this.rescore.request(serviceRecord.vehicleId, 'service-record')) === 'requested' : undefined;
    const row = await this.prisma.appointment.findUniqueOrThrow({ where: { id }, include: withVehicle });
    return {
      appointment: toView(row),
      ...(serviceRecord ? { serviceRecord } : {}),
      ...(rescoreRequested !== undefined ? { rescoreRequested } : {}),
    };
  }

  /** True when the reminder was BOOKED and is OPEN again. */
  private async reopenReminder(tx: Prisma.TransactionClient, reminderId: string, ending: AppointmentEnding, now: Date): Promise<boolean> {
    await tx.$queryRaw`SELECT id FROM reminders WHERE id = ${reminderId}::uuid FOR UPDATE`;
    const reminder = await tx.reminder.findUnique({ where: { id: reminderId } });
    if (reminder === null) return false;
    const transition = reopenBookedReminder(reminder, ending, now, this.repeatEvery(reminder.risk));
    if (transition === null) return false;
    const { changed: _changed, ...fields } = transition;
    await tx.reminder.update({ where: { id: reminderId }, data: fields });
    return true;
  }

  /** The cadence the worker's ReminderNotifier repeats an OPEN reminder at (REMINDER_REPEAT_*_HOURS). */
  private repeatEvery(risk: Risk): number | null {
    return configuredRepeatInterval(risk, this.config.notifications.repeatHours);
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
    if (reminder === null || !isActiveStatus(reminder.status)) return undefined;
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

function toPolicyAction(action: ActionInput): AppointmentAction {
  return action.kind === 'confirm' ? { kind: 'confirm', scheduledAt: action.scheduledAt } : { kind: action.kind };
}

/** Declining and cancelling leave a line in the notes, so staff see why the slot is free. */
function notesAfter(notes: string | null, action: ActionInput, actor: VehicleScope['kind']): string | null {
  if (action.kind === 'decline') return appendNote(notes, `Declined: ${action.reason}`);
  if (action.kind !== 'cancel') return notes;
  const by = actor === 'owner' ? 'Cancelled by the owner' : 'Cancelled by the service center';
  return appendNote(notes, action.reason === undefined ? by : `${by}: ${action.reason}`);
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
