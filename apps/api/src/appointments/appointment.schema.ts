import { z } from 'zod';
import { text } from '../common/text.schema.js';
import { APPOINTMENT_STATUSES } from './appointment-state.policy.js';

export const appointmentIdSchema = z.uuid({ error: 'must be an appointment id (UUID)' });

export const listAppointmentsQuerySchema = z.object({
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAppointmentsQuery = z.output<typeof listAppointmentsQuerySchema>;

export const confirmAppointmentSchema = z.strictObject({
  scheduledAt: z.iso.datetime({ offset: true }).transform((value) => new Date(value)),
});
export type ConfirmAppointmentRequest = z.output<typeof confirmAppointmentSchema>;

export const declineAppointmentSchema = z.strictObject({ reason: text().trim().min(1).max(1000) });
export type DeclineAppointmentRequest = z.output<typeof declineAppointmentSchema>;

export const completeAppointmentSchema = z.strictObject({
  odometerKm: z.number().min(0).max(3_000_000).optional(),
  notes: text().trim().max(2000).optional(),
});
export type CompleteAppointmentRequest = z.output<typeof completeAppointmentSchema>;

/** The body is optional: `{}` or none at all cancels without a reason. */
export const cancelAppointmentSchema = z.strictObject({ reason: text().trim().min(1).max(500).optional() }).default({});
export type CancelAppointmentRequest = z.output<typeof cancelAppointmentSchema>;
