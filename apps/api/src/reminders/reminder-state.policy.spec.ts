import {
  InvalidReminderDateError,
  InvalidReminderTransitionError,
  type ReminderStateView,
  reopenBookedReminder,
  transitionReminder,
} from './reminder-state.policy.js';
import type { ReminderStatus } from '#app/notifications';

const now = new Date('2026-11-26T08:00:00.000Z');
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);

function reminderState(overrides: Partial<ReminderStateView> = {}): ReminderStateView {
  return { status: 'OPEN', snoozedUntil: null, nextNotifyAt: inDays(1), ...overrides };
}

describe(transitionReminder.name, () => {
  describe('acknowledge', () => {
    it('stops the repeats of an open reminder', () => {
      expect(transitionReminder(reminderState(), { kind: 'acknowledge' }, now)).toEqual({
        changed: true,
        status: 'ACKNOWLEDGED',
        snoozedUntil: null,
        nextNotifyAt: null,
        closedAt: null,
        closedReason: null,
      });
    });

    it('ends a snooze', () => {
      const sut = transitionReminder(reminderState({ status: 'SNOOZED', snoozedUntil: inDays(3) }), { kind: 'acknowledge' }, now);
      expect(sut).toMatchObject({ status: 'ACKNOWLEDGED', snoozedUntil: null });
    });

    it('is a no-op when repeated', () => {
      expect(transitionReminder(reminderState({ status: 'ACKNOWLEDGED' }), { kind: 'acknowledge' }, now).changed).toBe(false);
    });
  });

  describe('snooze', () => {
    it('silences the reminder until the given time and wakes the worker then', () => {
      const sut = transitionReminder(reminderState({ status: 'ACKNOWLEDGED' }), { kind: 'snooze', until: inDays(7) }, now);
      expect(sut).toMatchObject({ changed: true, status: 'SNOOZED', snoozedUntil: inDays(7), nextNotifyAt: inDays(7) });
    });

    it('accepts exactly 90 days and refuses more', () => {
      expect(transitionReminder(reminderState(), { kind: 'snooze', until: inDays(90) }, now).status).toBe('SNOOZED');
      expect(() => transitionReminder(reminderState(), { kind: 'snooze', until: inDays(90.01) }, now)).toThrow(InvalidReminderDateError);
    });

    it('refuses a time in the past', () => {
      expect(() => transitionReminder(reminderState(), { kind: 'snooze', until: now }, now)).toThrow('until: must be in the future');
    });
  });

  describe('book', () => {
    it('silences the reminder while the appointment is pending', () => {
      const sut = transitionReminder(reminderState(), { kind: 'book', preferredAt: inDays(2) }, now);
      expect(sut).toMatchObject({ changed: true, status: 'BOOKED', nextNotifyAt: null, snoozedUntil: null });
    });

    it('refuses a preferred time in the past', () => {
      expect(() => transitionReminder(reminderState(), { kind: 'book', preferredAt: inDays(-1) }, now)).toThrow(InvalidReminderDateError);
    });

    it('refuses a second booking', () => {
      expect(() => transitionReminder(reminderState({ status: 'BOOKED' }), { kind: 'book', preferredAt: inDays(2) }, now)).toThrow(
        'Cannot book a reminder that is BOOKED: an appointment is already requested for it',
      );
    });
  });

  describe('done', () => {
    it.each<ReminderStatus>(['OPEN', 'ACKNOWLEDGED', 'SNOOZED', 'BOOKED'])('closes a %s reminder', (status) => {
      const sut = transitionReminder(reminderState({ status, snoozedUntil: inDays(2) }), { kind: 'done' }, now);
      expect(sut).toEqual({ changed: true, status: 'DONE', snoozedUntil: null, nextNotifyAt: null, closedAt: now, closedReason: 'done' });
    });
  });

  it.each<ReminderStatus>(['DONE', 'RESOLVED'])('refuses every action on a %s reminder', (status) => {
    const closed = reminderState({ status, nextNotifyAt: null });
    for (const action of [
      { kind: 'acknowledge' as const },
      { kind: 'snooze' as const, until: inDays(1) },
      { kind: 'book' as const, preferredAt: inDays(1) },
      { kind: 'done' as const },
    ]) {
      expect(() => transitionReminder(closed, action, now)).toThrow(InvalidReminderTransitionError);
    }
    expect(() => transitionReminder(closed, { kind: 'snooze', until: inDays(1) }, now)).toThrow(
      `Cannot snooze a reminder that is ${status}: it is closed`,
    );
  });

  it('refuses to acknowledge or snooze a booked reminder', () => {
    const booked = reminderState({ status: 'BOOKED', nextNotifyAt: null });
    expect(() => transitionReminder(booked, { kind: 'acknowledge' }, now)).toThrow(InvalidReminderTransitionError);
    expect(() => transitionReminder(booked, { kind: 'snooze', until: inDays(1) }, now)).toThrow(InvalidReminderTransitionError);
  });
});

describe(reopenBookedReminder.name, () => {
  const booked = reminderState({ status: 'BOOKED', nextNotifyAt: null });
  const weekMs = 7 * 86_400_000;

  it('opens a reminder whose appointment was declined, due now', () => {
    expect(reopenBookedReminder(booked, 'declined', now, weekMs)).toEqual({
      changed: true,
      status: 'OPEN',
      snoozedUntil: null,
      nextNotifyAt: now,
      closedAt: null,
      closedReason: null,
    });
  });

  it('opens a reminder whose appointment was cancelled, next due one repeat interval from now', () => {
    expect(reopenBookedReminder(booked, 'cancelled', now, weekMs)).toMatchObject({ status: 'OPEN', nextNotifyAt: inDays(7) });
  });

  it('leaves the next notification unset when the risk does not repeat', () => {
    expect(reopenBookedReminder(booked, 'cancelled', now, null)).toMatchObject({ status: 'OPEN', nextNotifyAt: null });
  });

  it.each<ReminderStatus>(['OPEN', 'ACKNOWLEDGED', 'SNOOZED', 'DONE', 'RESOLVED'])('has nothing to reopen on a %s reminder', (status) => {
    expect(reopenBookedReminder(reminderState({ status }), 'cancelled', now, weekMs)).toBeNull();
  });
});
