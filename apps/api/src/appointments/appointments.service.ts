import { Inject, Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { type Transaction, TransactionRunner } from '#app/database';
import { configuredRepeatInterval, isActiveStatus, type Risk } from '#app/notifications';
import type { ReminderStatus } from '#app/database';
import { scopeOf, systemScope, type VehicleScope } from '../common/vehicle-scope.model.js';
import { type AppointmentEventKind, type OwnerEvent, OwnerEventsPublisher } from '../events/owner-events.publisher.js';
import { AuditRepository } from '../audit/audit.repository.js';
import { ReminderRepository } from '../reminders/reminder.repository.js';
import { recordServiceForReminder, type RecordedService } from '../reminders/reminder-completion.repository.js';
import { type AppointmentEnding, reopenBookedReminder } from '../reminders/reminder-state.policy.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';
import type { AppointmentActionResult, AppointmentView } from './appointment.model.js';
import { type AppointmentRecord, type AppointmentRow, AppointmentRepository } from './appointment.repository.js';
import type {
  CancelAppointmentRequest,
  CompleteAppointmentRequest,
  ConfirmAppointmentRequest,
  DeclineAppointmentRequest,
  ListAppointmentsQuery,
  RescheduleAppointmentRequest,
} from './appointment.schema.js';
import { AppointmentNotFoundError } from './appointment-not-found.error.js';
import { completionRecord, type GivenService, type ReminderForCompletion } from './appointment-completion.policy.js';
import { type AppointmentAction, transitionAppointment } from './appointment-state.policy.js';

// The reminder an appointment is for was reached through the appointment, itself found in the caller's scope.
const LINKED_REMINDER = systemScope('the reminder of an appointment found in the caller scope');

type ActionInput =
  | ({ kind: 'confirm' } & ConfirmAppointmentRequest)
  | ({ kind: 'reschedule' } & RescheduleAppointmentRequest)
  | ({ kind: 'decline' } & DeclineAppointmentRequest)
  | ({ kind: 'complete' } & CompleteAppointmentRequest)
  | ({ kind: 'cancel' } & CancelAppointmentRequest);

const EVENT_OF: Record<ActionInput['kind'], AppointmentEventKind> = {
  confirm: 'confirmed',
  // The owner hears of the new time as a confirmation of it.
  reschedule: 'confirmed',
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
    private readonly transactions: TransactionRunner,
    private readonly appointments: AppointmentRepository,
    private readonly reminders: ReminderRepository,
    private readonly rescore: RescoreRequestService,
    private readonly events: OwnerEventsPublisher,
    private readonly audit: AuditRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async listMine(user: RequestUser, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    return this.list({ kind: 'owner', userId: user.userId }, query);
  }

  async listForCenter(user: RequestUser, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    return this.list(scopeOf(user), query);
  }

  /**
   * Staff confirm, reschedule, decline and complete their center's appointments; the owner (or staff) cancel
   * one. An owner only reaches their own appointments, staff only their center's (404 otherwise).
   * Declining or cancelling puts a booked reminder back to OPEN (see reopenBookedReminder for when
   * it is notified next), so the need does not go silent. Completing always leaves the work on the car's
   * service record (appointment-completion.policy.ts) and closes an active reminder as DONE, then asks for a
   * rescore. The appointment and then its reminder are locked for the whole transaction, like the reminder
   * actions; each change writes its audit line (who, what) in the same transaction; the owner's open sessions
   * hear about it after the commit.
   */
  async act(user: RequestUser, id: string, action: ActionInput): Promise<AppointmentActionResult> {
    const scope = scopeOf(user);
    const now = new Date();
    const outcome = await this.transactions.run(async (tx): Promise<ActionOutcome> => {
      const appointment = await this.appointments.lockInScope(tx, scope, id);
      if (appointment === null) throw new AppointmentNotFoundError(id);
      const transition = transitionAppointment(appointment.status, toPolicyAction(action), now);
      await this.appointments.update(tx, scope, id, { ...transition, notes: notesAfter(appointment.notes, action, scope.kind) });
      const result = await this.followUp(tx, appointment, action, user, now);
      await this.audit.record(tx, {
        serviceCenterId: appointment.serviceCenterId,
        vehicleId: appointment.vehicleId,
        actorId: user.userId,
        action: `appointment.${action.kind}`,
        appointmentId: id,
        detail: {
          from: appointment.status,
          to: transition.status,
          ...(transition.scheduledAt ? { scheduledAt: transition.scheduledAt.toISOString() } : {}),
          ...('reason' in action && action.reason !== undefined ? { reason: action.reason } : {}),
          ...(result.serviceRecord ? { serviceRecordId: result.serviceRecord.id, serviceKind: result.serviceRecord.kind } : {}),
        },
      });
      return result;
    });
    await this.events.publish([{ kind: EVENT_OF[action.kind], appointmentId: id }, ...(outcome.reminderEvent ? [outcome.reminderEvent] : [])], now);
    const { serviceRecord } = outcome;
    const rescoreRequested = serviceRecord ? (await this.rescore.request(serviceRecord.vehicleId, 'service-record')) === 'requested' : undefined;
    const row = await this.appointments.findInScope(scope, id);
    if (row === null) throw new AppointmentNotFoundError(id);
    return {
      appointment: toView(row),
      ...(serviceRecord ? { serviceRecord } : {}),
      ...(rescoreRequested !== undefined ? { rescoreRequested } : {}),
    };
  }

  /** What the action does beyond the appointment's own row: its reminder, and the service record of a completion. */
  private async followUp(tx: Transaction, appointment: AppointmentRecord, action: ActionInput, user: RequestUser, now: Date): Promise<ActionOutcome> {
    const { reminderId } = appointment;
    if (action.kind === 'complete') return this.complete(tx, appointment, action, user, now);
    if (reminderId === null) return {};
    if (action.kind === 'decline' || action.kind === 'cancel') {
      const reopened = await this.reopenReminder(tx, reminderId, action.kind === 'decline' ? 'declined' : 'cancelled', now);
      return reopened ? { reminderEvent: { kind: 'updated', reminderId } } : {};
    }
    return {};
  }

  private async complete(
    tx: Transaction,
    appointment: AppointmentRecord,
    request: CompleteAppointmentRequest,
    user: RequestUser,
    now: Date,
  ): Promise<ActionOutcome> {
    const reminder = appointment.reminderId === null ? null : await this.reminders.lockInScope(tx, LINKED_REMINDER, appointment.reminderId);
    const given: GivenService | null = request.serviceKind === undefined ? null : { kind: request.serviceKind, positions: request.positions ?? [] };
    const plan = completionRecord(appointment.id, reminderForCompletion(reminder), given);
    const input = { performedAt: now, odometerKm: request.odometerKm ?? null, notes: request.notes ?? null, createdById: user.userId };
    if (plan.record === 'already-recorded') return {};
    if (plan.record === 'given') return { serviceRecord: await this.appointments.recordService(tx, appointment, plan.service, input) };
    if (reminder === null) return {};
    // Every open need of the visit was the appointment's work: the first record answers, all are written.
    const [serviceRecord] = await recordServiceForReminder(tx, reminder, { ...input, service: plan.service });
    await this.reminders.markNeedsDone(
      tx,
      reminder.id,
      (await this.reminders.needsOf(tx, reminder.id)).map((need) => need.id),
      now,
      'appointment completed',
    );
    await this.reminders.update(tx, LINKED_REMINDER, reminder.id, {
      status: 'DONE',
      closedAt: now,
      closedReason: 'appointment completed',
      snoozedUntil: null,
      nextNotifyAt: null,
    });
    return { serviceRecord, reminderEvent: { kind: 'closed', reminderId: reminder.id } };
  }

  /** True when the reminder was BOOKED and is OPEN again. */
  private async reopenReminder(tx: Transaction, reminderId: string, ending: AppointmentEnding, now: Date): Promise<boolean> {
    const reminder = await this.reminders.lockInScope(tx, LINKED_REMINDER, reminderId);
    if (reminder === null) return false;
    const transition = reopenBookedReminder(reminder, ending, now, this.repeatEvery(reminder.risk));
    if (transition === null) return false;
    const { changed: _changed, ...fields } = transition;
    await this.reminders.update(tx, LINKED_REMINDER, reminderId, fields);
    return true;
  }

  /** The cadence the worker's ReminderNotifier repeats an OPEN reminder at (REMINDER_REPEAT_*_HOURS). */
  private repeatEvery(risk: Risk): number | null {
    return configuredRepeatInterval(risk, this.config.notifications.repeatHours);
  }

  private async list(scope: VehicleScope, query: ListAppointmentsQuery): Promise<AppointmentView[]> {
    const rows = await this.appointments.list(scope, query);
    return rows.map(toView);
  }
}

function toPolicyAction(action: ActionInput): AppointmentAction {
  if (action.kind === 'confirm' || action.kind === 'reschedule') return { kind: action.kind, scheduledAt: action.scheduledAt };
  return { kind: action.kind };
}

function reminderForCompletion(reminder: { status: ReminderStatus } | null): ReminderForCompletion {
  if (reminder === null) return 'none';
  if (isActiveStatus(reminder.status)) return 'active';
  return reminder.status === 'DONE' ? 'done' : 'resolved';
}

/** Declining and cancelling leave a line in the notes, so staff see why the slot is free. */
function notesAfter(notes: string | null, action: ActionInput, actor: VehicleScope['kind']): string | null {
  if (action.kind === 'decline') return appendNote(notes, `Declined: ${action.reason}`);
  if (action.kind === 'reschedule') {
    const moved = `Rescheduled to ${action.scheduledAt.toISOString()}`;
    return appendNote(notes, action.reason === undefined ? moved : `${moved}: ${action.reason}`);
  }
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
