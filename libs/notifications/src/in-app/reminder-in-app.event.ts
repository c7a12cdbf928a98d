import { languageOf, reminderContentSchema } from '../rendering/reminder-content.model.js';
import { renderReminderMessage } from '../rendering/reminder-message.renderer.js';
import type { InAppEvent } from './in-app-event.bus.js';

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
  const { preference } = reminder;
  const message = renderReminderMessage(
    { ...content, reminderId: reminder.id, timeZone: preference?.timeZone ?? content.timeZone },
    languageOf(preference?.language),
  );
  return {
    type: 'reminder',
    title: message.title,
    text: message.text,
    data: { ...message.data, event: kind, status: reminder.status, version: reminder.version },
    at: now.toISOString(),
  };
}
