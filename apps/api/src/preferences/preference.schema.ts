import { z } from 'zod';
import { CHANNEL_KINDS, refusalOfOwnerUrl } from '#app/notifications';
import { storable, text } from '../common/text.schema.js';

/** Intl knows every IANA zone the runtime can format in: the same check the send-time policy makes. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const clockTime = text().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM between 00:00 and 23:59');

export const updatePreferenceSchema = z
  .strictObject({
    channels: z
      .array(z.enum(CHANNEL_KINDS))
      .max(CHANNEL_KINDS.length)
      .refine((channels) => new Set(channels).size === channels.length, { error: 'must not repeat a channel' }),
    language: z.enum(['en', 'zh']),
    timeZone: text().refine(isTimeZone, { error: 'must be an IANA time zone, e.g. Asia/Shanghai' }),
    quietHoursStart: clockTime.nullable().default(null),
    quietHoursEnd: clockTime.nullable().default(null),
    digest: z.boolean().default(false),
    email: storable(z.email()).nullable().default(null),
    webhookUrl: text()
      .max(2000)
      .refine((url) => refusalOfOwnerUrl(url) === null, { error: 'must be an https URL without credentials' })
      .nullable()
      .default(null),
    /** Write-only. Missing: keep the current one, or generate one when a webhook is set without. */
    webhookSecret: text().min(16).max(200).optional(),
  })
  .refine((p) => (p.quietHoursStart === null) === (p.quietHoursEnd === null), {
    error: 'set both quietHoursStart and quietHoursEnd, or neither',
    path: ['quietHoursEnd'],
  })
  .refine((p) => !p.channels.includes('WEBHOOK') || p.webhookUrl !== null, {
    error: 'the WEBHOOK channel needs a webhookUrl',
    path: ['webhookUrl'],
  });

export type UpdatePreferenceRequest = z.output<typeof updatePreferenceSchema>;
