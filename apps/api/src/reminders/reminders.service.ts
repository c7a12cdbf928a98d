import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { type Transaction, TransactionRunner } from '#app/database';
import { AppointmentRepository } from '../appointments/appointment.repository.js';
import { accountScopeOf, scopeOf, type VehicleScope } from '../common/vehicle-scope.model.js';
import { type OwnerEvent, OwnerEventsPublisher } from '../events/owner-events.publisher.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import type { AppointmentSummary, ReminderActionResult, ReminderList } from './reminder.model.js';
import { type LockedReminder, type ReminderNeed, type ReminderRecord, ReminderRepository } from './reminder.repository.js';
import { ReminderNeedClosedError, UnknownReminderNeedError } from './reminder-need.error.js';
import type { BookReminderRequest, DoneReminderRequest, ListRemindersQuery } from './reminder.schema.js';
import { recordServiceForReminder, type RecordedService } from './reminder-completion.repository.js';
import { ReminderNotFoundError } from './reminder-not-found.error.js';
import { type ReminderAction, transitionReminder } from './reminder-state.policy.js';
import { renderReminderView } from './reminder-view.renderer.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';

type ActionInput =
  { kind: 'acknowledge' } | { kind: 'snooze'; until: Date } | ({ kind: 'book' } & BookReminderRequest) | ({ kind: 'done' } & DoneReminderRequest);

interface ActionOutcome {
  appointment?: AppointmentSummary;
  serviceRecords?: RecordedService[];
  /** Told to the owner's open sessions once committed; none for a repeated request that changed nothing. */
  events: OwnerEvent[];
}

@Injectable()
export class RemindersService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly reminders: ReminderRepository,
    private readonly appointments: AppointmentRepository,
    private readonly vehicles: VehicleRepository,
    private readonly rescore: RescoreRequestService,
    private readonly events: OwnerEventsPublisher,
  ) {}

  async feed(user: RequestUser, query: ListRemindersQuery): Promise<ReminderList> {
    const [rows, reader] = await Promise.all([
      this.reminders.listForOwner({ kind: 'owner', userId: user.userId }, query),
      this.reminders.readerOf(accountScopeOf(user)),
    ]);
    return { items: rows.map((row) => renderReminderView(row, { ...reader, language: query.lang ?? reader.language })) };
  }

  async forVehicle(user: RequestUser, vin: string, query: ListRemindersQuery): Promise<ReminderList> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const [rows, reader] = await Promise.all([this.reminders.listForVehicle(vehicle, query), this.reminders.readerOf(accountScopeOf(user))]);
    return { items: rows.map((row) => renderReminderView(row, { ...reader, language: query.lang ?? reader.language })) };
  }

  /**
   * Applies an owner (or staff) action. The row is locked (SELECT ... FOR UPDATE) for the whole
   * transaction, so a concurrent worker update of the same reminder (new version, repeat) waits
   * and then sees the new status instead of overwriting it. The rescore request and the live
   * events go out after the commit.
   */
  async act(user: RequestUser, reminderId: string, input: ActionInput): Promise<ReminderActionResult> {
    const scope = scopeOf(user);
    const now = new Date();
    const outcome = await this.transactions.run(async (tx): Promise<ActionOutcome> => {
      const row = await this.reminders.lockInScope(tx, scope, reminderId);
      if (row === null) throw new ReminderNotFoundError(reminderId);
      if (input.kind === 'done') return this.done(tx, scope, row, input, user, now);
      const transition = transitionReminder(row, toAction(input), now);
      if (!transition.changed) return { events: [] };
      const { changed: _changed, ...fields } = transition;
      const updated = await this.reminders.update(tx, scope, reminderId, fields);
      return this.sideEffects(tx, scope, updated, input);
    });
    await this.events.publish(outcome.events, now);

    const [serviceRecord] = outcome.serviceRecords ?? [];
    const rescoreRequested = serviceRecord ? (await this.rescore.request(serviceRecord.vehicleId, 'service-record')) === 'requested' : undefined;
    const [row, reader] = await Promise.all([this.reminders.findInScope(scope, reminderId), this.reminders.readerOf(accountScopeOf(user))]);
    if (row === null) throw new ReminderNotFoundError(reminderId);
    return {
      reminder: renderReminderView(row, reader),
      ...(outcome.appointment ? { appointment: outcome.appointment } : {}),
      ...(serviceRecord ? { serviceRecord, serviceRecords: outcome.serviceRecords ?? [] } : {}),
      ...(rescoreRequested !== undefined ? { rescoreRequested } : {}),
    };
  }

  private async sideEffects(tx: Transaction, scope: VehicleScope, reminder: ReminderRecord, input: ActionInput): Promise<ActionOutcome> {
    const reminderEvent: OwnerEvent = { kind: 'updated', reminderId: reminder.id };
    if (input.kind === 'book') {
      const appointment = await this.appointments.createForReminder(tx, scope, reminder, {
        preferredAt: input.preferredAt,
        notes: input.notes ?? null,
      });
      return {
        appointment: {
          id: appointment.id,
          status: appointment.status,
          serviceCenterId: appointment.serviceCenterId,
          preferredAt: appointment.preferredAt.toISOString(),
          notes: appointment.notes,
        },
        events: [reminderEvent, { kind: 'created', appointmentId: appointment.id }],
      };
    }
    return { events: [reminderEvent] };
  }

  /**
   * Done for the needs the work fixed: every open need, or those named (two of four tyres replaced). Those needs
   * are DONE with their service records; the reminder closes when no need is left open, and otherwise stays as
   * it is (open, acknowledged, snoozed or booked) for the rest.
   */
  private async done(
    tx: Transaction,
    scope: VehicleScope,
    row: LockedReminder,
    input: { kind: 'done' } & DoneReminderRequest,
    user: RequestUser,
    now: Date,
  ): Promise<ActionOutcome> {
    const needs = await this.reminders.needsOf(tx, row.id);
    const open = needs.filter((need) => need.status === 'OPEN');
    const fixed = input.items === undefined ? open : input.items.map((id) => namedNeed(row.id, needs, id));
    const completion = { performedAt: input.performedAt ?? now, odometerKm: input.odometerKm, notes: input.notes, createdById: user.userId };
    // Checked against the status even when the reminder stays open: a closed reminder takes no done at all.
    const transition = transitionReminder(row, { kind: 'done' }, now);
    await this.reminders.markNeedsDone(
      tx,
      row.id,
      fixed.map((need) => need.id),
      now,
      'done',
    );
    // A reminder written before visits has no need rows: done is for its one finding.
    const serviceRecords = await recordServiceForReminder(tx, row, completion, needs.length === 0 ? undefined : fixed);
    if (fixed.length < open.length) return { serviceRecords, events: [{ kind: 'updated', reminderId: row.id }] };
    const { changed: _changed, ...fields } = transition;
    await this.reminders.update(tx, scope, row.id, fields);
    return { serviceRecords, events: [{ kind: 'closed', reminderId: row.id }] };
  }
}

function namedNeed(reminderId: string, needs: readonly ReminderNeed[], id: string): ReminderNeed {
  const need = needs.find((candidate) => candidate.id === id);
  if (need === undefined) throw new UnknownReminderNeedError(reminderId, id);
  if (need.status !== 'OPEN') throw new ReminderNeedClosedError(id, need.status);
  return need;
}

function toAction(input: ActionInput): ReminderAction {
  switch (input.kind) {
    case 'acknowledge':
    case 'done':
      return { kind: input.kind };
    case 'snooze':
      return { kind: 'snooze', until: input.until };
    case 'book':
      return { kind: 'book', preferredAt: input.preferredAt };
  }
}
