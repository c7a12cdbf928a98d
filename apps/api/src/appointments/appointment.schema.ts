import { z } from 'zod';
import { text } from '../common/text.schema.js';
import { createServiceRecordSchema } from '../service-records/service-record.schema.js';
import { APPOINTMENT_STATUSES } from './appointment-state.policy.js';

export const appointmentIdSchema = z.uuid({ error: 'must be an appointment id (UUID)' });

const instant = () =>
  z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone offset' }).transform((value) => new Date(value));

// A week view asks for 7 days; a month is the most any view needs at once.
const MAX_RANGE_MS = 62 * 24 * 3_600_000;

export const listAppointmentsQuerySchema = z
  .object({
    status: z.enum(APPOINTMENT_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    from: instant().optional().describe('With `to`: appointments whose slot (scheduled time, else preferred time) is in [from, to)'),
    to: instant().optional(),
  })
  .refine((query) => (query.from === undefined) === (query.to === undefined), { error: 'from and to go together', path: ['to'] })
  // Zod runs these refinements even when `from` or `to` failed its own check (then it is still the raw string):
  // they compare only two dates, and a bad value has its 400 already.
  .refine((query) => !(query.from instanceof Date) || !(query.to instanceof Date) || query.to.getTime() > query.from.getTime(), {
    error: 'must be after from',
    path: ['to'],
  })
  .refine((query) => !(query.from instanceof Date) || !(query.to instanceof Date) || query.to.getTime() - query.from.getTime() <= MAX_RANGE_MS, {
    error: 'a range is at most 62 days',
    path: ['to'],
  });
export type ListAppointmentsQuery = z.output<typeof listAppointmentsQuerySchema>;

export const confirmAppointmentSchema = z.strictObject({
  scheduledAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
});
export type ConfirmAppointmentRequest = z.output<typeof confirmAppointmentSchema>;

export const declineAppointmentSchema = z.strictObject({ reason: text().trim().min(1).max(1000) });
export type DeclineAppointmentRequest = z.output<typeof declineAppointmentSchema>;

export const rescheduleAppointmentSchema = z.strictObject({
  scheduledAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
  reason: text().trim().min(1).max(500).optional(),
});
export type RescheduleAppointmentRequest = z.output<typeof rescheduleAppointmentSchema>;

export const completeAppointmentSchema = z.strictObject({
  odometerKm: z.number().min(0).max(3_000_000).optional(),
  notes: text().trim().max(2000).optional(),
  // The service record's own kinds and wheels, validated as POST /vehicles/{vin}/service-records does.
  serviceKind: createServiceRecordSchema.shape.kind
    .optional()
    .describe('The work done; required when the appointment has no open reminder to tell it (a call-list booking, a walk-in)'),
  positions: createServiceRecordSchema.shape.positions.describe(
    'Wheels the work applied to, with serviceKind; empty or absent: all / not applicable',
  ),
});
export type CompleteAppointmentRequest = z.output<typeof completeAppointmentSchema>;

/** The body is optional: `{}` or none at all cancels without a reason. */
export const cancelAppointmentSchema = z.strictObject({ reason: text().trim().min(1).max(500).optional() }).default({});
export type CancelAppointmentRequest = z.output<typeof cancelAppointmentSchema>;
