import { resolvePreferences } from '../preferences/notification-preference.model.js';
import { reminderContentSchema } from '../rendering/reminder-content.model.js';
import { renderReminderMessage } from '../rendering/reminder-message.renderer.js';
import { centerAudience, type InAppEvent } from './in-app-event.bus.js';

/** What happened to a reminder, as live listeners are told (the worker's and the API's changes alike). */
export type ReminderEventKind = 'created' | 'updated' | 'closed';

/** The columns of a stored reminder (and its owner's preference) that its live event is made of. */
export interface ReminderEventSource {
  id: string;
  status: string;
  version: number;
  content: unknown;
  preference: { language: string | null; timeZone: string | null } | null;
}

/**
 * One event shape for every reminder change, whoever made it: the reminder rendered in the owner's
 * language and zone, plus what happened and the state it is in now, so a client updates without a reload.
 */
export function reminderInAppEvent(kind: ReminderEventKind, reminder: ReminderEventSource, now: Date): InAppEvent {
  const content = reminderContentSchema.parse(reminder.content);
  // The same defaults as the API's reminder views and the e-mail/push text (resolvePreferences).
  const { language, timeZone } = resolvePreferences(reminder.preference);
  const message = renderReminderMessage({ ...content, reminderId: reminder.id, timeZone }, language);
  return {
    type: 'reminder',
    title: message.title,
    text: message.text,
    data: { ...message.data, event: kind, status: reminder.status, version: reminder.version },
    at: now.toISOString(),
  };
}

/** What a reminder's live events are read with (a Prisma `include` on the reminder): the same wherever it changes. */
export const REMINDER_EVENT_INCLUDE = {
  owner: { select: { preference: { select: { language: true, timeZone: true } } } },
  vehicle: { select: { vin: true, serviceCenterId: true } },
} as const;

export interface ReminderEventRow extends Omit<ReminderEventSource, 'preference'> {
  ownerId: string;
  owner: { preference: ReminderEventSource['preference'] };
  vehicle: { vin: string; serviceCenterId: string };
}

/**
 * Who hears about a reminder change, and what: the owner's sessions, and the staff of the center that
 * services the car (it calls the customer), told which car it is about.
 */
export function reminderAudienceEvents(kind: ReminderEventKind, row: ReminderEventRow, now: Date): { audience: string; event: InAppEvent }[] {
  const event = reminderInAppEvent(kind, { ...row, preference: row.owner.preference }, now);
  return [
    { audience: row.ownerId, event },
    { audience: centerAudience(row.vehicle.serviceCenterId), event: { ...event, data: { ...event.data, vin: row.vehicle.vin } } },
  ];
}
