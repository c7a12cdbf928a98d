// The owner-side lifecycle of a reminder, as a pure function of (current state, action, now): the
// service only loads the row, applies what this returns and writes it. The worker owns the other
// transitions (creation, escalation, snooze expiry, RESOLVED).

import { DomainError } from '#app/errors';
import type { ReminderStatus } from '#app/notifications';

export const MAX_SNOOZE_DAYS = 90;
const DAY_MS = 86_400_000;

export type ReminderAction = { kind: 'acknowledge' } | { kind: 'snooze'; until: Date } | { kind: 'book'; preferredAt: Date } | { kind: 'done' };

export type ReminderActionKind = ReminderAction['kind'];

/** What to write on the reminder row; `changed: false` means a repeated request that needs no write. */
export interface ReminderTransition {
  changed: boolean;
  status: ReminderStatus;
  snoozedUntil: Date | null;
  /** When the worker should notify next; null stops repeats (acknowledged, booked, closed). */
  nextNotifyAt: Date | null;
  closedAt: Date | null;
  closedReason: string | null;
}

export interface ReminderStateView {
  status: ReminderStatus;
  snoozedUntil: Date | null;
  nextNotifyAt: Date | null;
}

/** The action is not allowed from the reminder's current status (HTTP 409). */
export class InvalidReminderTransitionError extends DomainError {
  readonly kind = 'conflict';
  override readonly name = 'InvalidReminderTransitionError';

  constructor(
    readonly from: ReminderStatus,
    readonly action: ReminderActionKind,
    reason: string,
  ) {
    super(`Cannot ${action} a reminder that is ${from}: ${reason}`);
  }
}

/** A date the action cannot use (snooze into the past or beyond 90 days, book in the past) (HTTP 400). */
export class InvalidReminderDateError extends DomainError {
  readonly kind = 'invalid';
  override readonly name = 'InvalidReminderDateError';

  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const ALLOWED_FROM: Record<ReminderActionKind, readonly ReminderStatus[]> = {
  // Acknowledging a snoozed reminder ends the snooze: "I know" means no repeats at all.
  acknowledge: ['OPEN', 'ACKNOWLEDGED', 'SNOOZED'],
  // Snoozing again moves the wake-up time. A booked reminder is already silent.
  snooze: ['OPEN', 'ACKNOWLEDGED', 'SNOOZED'],
  // One appointment per reminder: a second booking would leave two requests at the center.
  book: ['OPEN', 'ACKNOWLEDGED', 'SNOOZED'],
  done: ['OPEN', 'ACKNOWLEDGED', 'SNOOZED', 'BOOKED'],
};

export function transitionReminder(current: ReminderStateView, action: ReminderAction, now: Date): ReminderTransition {
  if (!ALLOWED_FROM[action.kind].includes(current.status)) {
    throw new InvalidReminderTransitionError(current.status, action.kind, reasonFor(current.status));
  }
  const open = { snoozedUntil: null, closedAt: null, closedReason: null };
  switch (action.kind) {
    case 'acknowledge':
      if (current.status === 'ACKNOWLEDGED') return { changed: false, status: 'ACKNOWLEDGED', ...open, nextNotifyAt: null };
      return { changed: true, status: 'ACKNOWLEDGED', ...open, nextNotifyAt: null };
    case 'snooze': {
      if (action.until.getTime() <= now.getTime()) throw new InvalidReminderDateError('until', 'must be in the future');
      if (action.until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * DAY_MS) {
        throw new InvalidReminderDateError('until', `must be within ${MAX_SNOOZE_DAYS} days`);
      }
      // nextNotifyAt = the wake-up time, so the worker's sweep on nextNotifyAt finds it then.
      return { changed: true, status: 'SNOOZED', ...open, snoozedUntil: action.until, nextNotifyAt: action.until };
    }
    case 'book':
      if (action.preferredAt.getTime() <= now.getTime()) throw new InvalidReminderDateError('preferredAt', 'must be in the future');
      return { changed: true, status: 'BOOKED', ...open, nextNotifyAt: null };
    case 'done':
      return { changed: true, status: 'DONE', snoozedUntil: null, nextNotifyAt: null, closedAt: now, closedReason: 'done' };
  }
}

/** How an appointment made by `book` ended without the work being done. */
export type AppointmentEnding = 'declined' | 'cancelled';

/**
 * The appointment a BOOKED reminder was waiting for is off, so the reminder is OPEN again and keeps
 * reminding. When the next notification comes depends on who ended it:
 * - declined by the center: the owner did not choose this and may not know yet, so it is due now
 *   (like a snooze that ends: the sweep notifies a woken reminder at once).
 * - cancelled (by the owner, or by staff on the owner's word): the owner has just decided, so telling
 *   them again at once would only echo their own action, and an owner cancelling and rebooking would
 *   get a message each time. The next notification follows the usual repeat cadence from now, as if
 *   it had just been sent; `repeatEveryMs` null (a risk that does not repeat) leaves it in the app only.
 * The version is left alone: it counts forecast changes, and notification keys stay unique through
 * the notify count. Any other status (done or resolved meanwhile) has nothing to reopen: null.
 */
export function reopenBookedReminder(
  current: ReminderStateView,
  ending: AppointmentEnding,
  now: Date,
  repeatEveryMs: number | null,
): ReminderTransition | null {
  if (current.status !== 'BOOKED') return null;
  const nextNotifyAt = ending === 'declined' ? now : repeatEveryMs === null ? null : new Date(now.getTime() + repeatEveryMs);
  return { changed: true, status: 'OPEN', snoozedUntil: null, nextNotifyAt, closedAt: null, closedReason: null };
}

function reasonFor(status: ReminderStatus): string {
  switch (status) {
    case 'DONE':
    case 'RESOLVED':
      return 'it is closed';
    case 'BOOKED':
      return 'an appointment is already requested for it';
    default:
      return 'not allowed from this status';
  }
}
