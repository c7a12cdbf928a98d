import { type AppointmentStatus, InvalidAppointmentTransitionError, transitionAppointment } from './appointment-state.policy.js';

describe(transitionAppointment.name, () => {
  const now = new Date('2026-11-26T08:00:00.000Z');
  const scheduledAt = new Date('2026-11-28T09:30:00.000Z');

  it('confirms a request with the scheduled time and when it was confirmed', () => {
    expect(transitionAppointment('REQUESTED', { kind: 'confirm', scheduledAt }, now)).toEqual({
      status: 'CONFIRMED',
      confirmedAt: now,
      scheduledAt,
    });
  });

  it('reschedules a confirmed appointment', () => {
    expect(transitionAppointment('CONFIRMED', { kind: 'confirm', scheduledAt }, now).scheduledAt).toEqual(scheduledAt);
  });

  it('reschedules a confirmed appointment to a new time, keeping when it was first confirmed', () => {
    expect(transitionAppointment('CONFIRMED', { kind: 'reschedule', scheduledAt }, now)).toEqual({ status: 'CONFIRMED', scheduledAt });
  });

  it.each<AppointmentStatus>(['REQUESTED', 'DECLINED', 'COMPLETED', 'CANCELLED'])('refuses to reschedule a %s appointment', (from) => {
    expect(() => transitionAppointment(from, { kind: 'reschedule', scheduledAt }, now)).toThrow(`Cannot reschedule an appointment that is ${from}`);
  });

  it.each<AppointmentStatus>(['REQUESTED', 'CONFIRMED'])('declines and completes from %s', (from) => {
    expect(transitionAppointment(from, { kind: 'decline' }, now).status).toBe('DECLINED');
    expect(transitionAppointment(from, { kind: 'complete' }, now).status).toBe('COMPLETED');
  });

  it.each<AppointmentStatus>(['REQUESTED', 'CONFIRMED'])('cancels from %s, keeping the times it had', (from) => {
    expect(transitionAppointment(from, { kind: 'cancel' }, now)).toEqual({ status: 'CANCELLED' });
  });

  it.each<AppointmentStatus>(['DECLINED', 'COMPLETED', 'CANCELLED'])('refuses every action on a %s appointment', (from) => {
    expect(() => transitionAppointment(from, { kind: 'confirm', scheduledAt }, now)).toThrow(InvalidAppointmentTransitionError);
    expect(() => transitionAppointment(from, { kind: 'decline' }, now)).toThrow(`Cannot decline an appointment that is ${from}`);
    expect(() => transitionAppointment(from, { kind: 'complete' }, now)).toThrow(InvalidAppointmentTransitionError);
    expect(() => transitionAppointment(from, { kind: 'cancel' }, now)).toThrow(`Cannot cancel an appointment that is ${from}`);
  });
});
