import { z } from 'zod';
import { text } from '../common/text.schema.js';
import { LANGUAGES, REMINDER_STATUSES } from '#app/notifications';

export const reminderIdSchema = z.uuid({ error: 'must be a reminder id (UUID)' });

export const listRemindersQuerySchema = z.object({
  /** One status, or `active` (OPEN, ACKNOWLEDGED, SNOOZED, BOOKED) / `closed` (DONE, RESOLVED). */
  status: z.enum([...REMINDER_STATUSES, 'active', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Render in this language instead of the reader's saved one: the app's language toggle before it is saved. */
  lang: z.enum(LANGUAGES).optional(),
});
export type ListRemindersQuery = z.output<typeof listRemindersQuerySchema>;

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const notes = text().trim().max(2000).optional();

export const snoozeReminderSchema = z.strictObject({ until: instant });
export type SnoozeReminderRequest = z.output<typeof snoozeReminderSchema>;

export const bookReminderSchema = z.strictObject({ preferredAt: instant, notes });
export type BookReminderRequest = z.output<typeof bookReminderSchema>;

export const doneReminderSchema = z.strictObject({
  /** When the work was done; now when missing. Not in the future. */
  performedAt: instant.refine((date) => date.getTime() <= Date.now() + 5 * 60_000, { error: 'must not be in the future' }).optional(),
  odometerKm: z.number().min(0).max(3_000_000).optional(),
  notes,
  /** The needs the work fixed (ReminderView.items[].id), e.g. two of four tyres; every open need when missing. */
  items: z
    .array(z.uuid({ error: 'must be a need id (UUID) of this reminder' }))
    .min(1)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'must not name a need twice' })
    .optional(),
});
export type DoneReminderRequest = z.output<typeof doneReminderSchema>;
