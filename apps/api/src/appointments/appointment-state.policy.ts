// Lifecycle of an appointment request, pure: REQUESTED -> CONFIRMED -> COMPLETED; staff may RESCHEDULE a
// confirmed one and DECLINE it, and the owner (or staff on the owner's word) may CANCEL it, until it is completed.

import { DomainError } from '#app/errors';

export const APPOINTMENT_STATUSES = ['REQUESTED', 'CONFIRMED', 'DECLINED', 'COMPLETED', 'CANCELLED'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export type AppointmentAction =
  | { kind: 'confirm'; scheduledAt: Date }
  | { kind: 'reschedule'; scheduledAt: Date }
  | { kind: 'decline' }
  | { kind: 'complete' }
  | { kind: 'cancel' };
export type AppointmentActionKind = AppointmentAction['kind'];

export interface AppointmentTransition {
  status: AppointmentStatus;
  confirmedAt?: Date;
  scheduledAt?: Date;
}

/** The action is not allowed from the appointment's status (HTTP 409). */
export class InvalidAppointmentTransitionError extends DomainError {
  readonly kind = 'conflict';
  override readonly name = 'InvalidAppointmentTransitionError';

  constructor(
    readonly from: AppointmentStatus,
    readonly action: AppointmentActionKind,
  ) {
    super(`Cannot ${action} an appointment that is ${from}`);
  }
}

const ALLOWED_FROM: Record<AppointmentActionKind, readonly AppointmentStatus[]> = {
  // Confirming a confirmed appointment again reschedules it.
  confirm: ['REQUESTED', 'CONFIRMED'],
  // Moving a slot that was agreed; a request is confirmed at the time staff can offer instead.
  reschedule: ['CONFIRMED'],
  decline: ['REQUESTED', 'CONFIRMED'],
  // A walk-in can be completed without a confirmation first.
  complete: ['REQUESTED', 'CONFIRMED'],
  // A declined or completed appointment is already over; cancelling it again would hide what happened.
  cancel: ['REQUESTED', 'CONFIRMED'],
};

export function transitionAppointment(from: AppointmentStatus, action: AppointmentAction, now: Date): AppointmentTransition {
  if (!ALLOWED_FROM[action.kind].includes(from)) throw new InvalidAppointmentTransitionError(from, action.kind);
  switch (action.kind) {
    case 'confirm':
      return { status: 'CONFIRMED', confirmedAt: now, scheduledAt: action.scheduledAt };
    case 'reschedule':
      // confirmedAt stays: when it was first agreed.
      return { status: 'CONFIRMED', scheduledAt: action.scheduledAt };
    case 'decline':
      return { status: 'DECLINED' };
    case 'complete':
      return { status: 'COMPLETED' };
    case 'cancel':
      return { status: 'CANCELLED' };
  }
}
