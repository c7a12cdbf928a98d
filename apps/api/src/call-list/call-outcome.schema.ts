import { z } from 'zod';
import { text } from '../common/text.schema.js';
import { CALL_AGAIN_MAX_DAYS, CALL_OUTCOMES } from './call-list.policy.js';

const DAY_MS = 24 * 3_600_000;
// An appointment booked on the phone is for the coming months, not next year's.
const APPOINTMENT_MAX_DAYS = 180;
// A slot a few minutes ago is a slow form (or a clock a little behind), not a time in the past.
const PAST_GRACE_MS = 10 * 60_000;

const instant = () =>
  z.iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone offset' }).transform((value) => new Date(value));

function withinDays(date: Date, days: number): boolean {
  const now = Date.now();
  return date.getTime() >= now - PAST_GRACE_MS && date.getTime() <= now + days * DAY_MS;
}

export const recordCallOutcomeSchema = z
  .strictObject({
    outcome: z.enum(CALL_OUTCOMES),
    note: text().trim().max(2000).optional(),
    callAgainAt: instant()
      .refine((date) => withinDays(date, CALL_AGAIN_MAX_DAYS), `must be in the next ${String(CALL_AGAIN_MAX_DAYS)} days`)
      .optional()
      .describe('CALL_AGAIN only, and required there: when to call again'),
    appointmentAt: instant()
      .refine((date) => withinDays(date, APPOINTMENT_MAX_DAYS), `must be in the next ${String(APPOINTMENT_MAX_DAYS)} days`)
      .optional()
      .describe('BOOKED only, optional: the slot agreed on the phone; a confirmed appointment is made for it'),
  })
  .superRefine((body, context) => {
    if (body.outcome === 'CALL_AGAIN' && body.callAgainAt === undefined) {
      context.addIssue({ code: 'custom', path: ['callAgainAt'], message: 'is required when the outcome is CALL_AGAIN' });
    }
    if (body.outcome !== 'CALL_AGAIN' && body.callAgainAt !== undefined) {
      context.addIssue({ code: 'custom', path: ['callAgainAt'], message: 'is only for the outcome CALL_AGAIN' });
    }
    if (body.outcome !== 'BOOKED' && body.appointmentAt !== undefined) {
      context.addIssue({ code: 'custom', path: ['appointmentAt'], message: 'is only for the outcome BOOKED' });
    }
  });
export type RecordCallOutcomeRequest = z.output<typeof recordCallOutcomeSchema>;

export const callOutcomeHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type CallOutcomeHistoryQuery = z.output<typeof callOutcomeHistoryQuerySchema>;
