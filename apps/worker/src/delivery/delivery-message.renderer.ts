import {
  type RenderedMessage,
  reminderContentSchema,
  reminderLink,
  renderReminderMessage,
  resolvePreferences,
  type StoredPreference,
} from '#app/notifications';

/** The reminder columns (and its owner's preference) one delivery's message is made of. */
export interface DeliveredReminder {
  id: string;
  content: unknown;
  owner: { preference: StoredPreference | null };
}

/**
 * The text every channel of one delivery sends (e-mail, push, webhook, in-app), in the owner's language and
 * zone: with no saved preference, the same defaults as the API's reminder views and live events
 * (resolvePreferences), not the renderer's UTC.
 */
export function deliveryMessageOf(reminder: DeliveredReminder, appUrl: string): RenderedMessage {
  const { language, timeZone } = resolvePreferences(reminder.owner.preference);
  const content = reminderContentSchema.parse(reminder.content);
  return renderReminderMessage({ ...content, reminderId: reminder.id, timeZone, link: content.link ?? reminderLink(appUrl, reminder.id) }, language);
}
