// The one definition of an owner's notification preference and of what an owner who never saved any
// gets. Every reader of a preference (the API's reminder views, the worker's e-mail/push/webhook
// rendering, live in-app events, delivery planning) resolves it here, so an owner without a row sees
// the same zone and language everywhere. The values mirror the column defaults in prisma/schema.prisma.
import type { ChannelKind } from '../channels/notification-channel.model.js';
import { type Language, languageOf } from '../rendering/reminder-content.model.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_LANGUAGE: Language = 'en';
export const DEFAULT_CHANNELS: readonly ChannelKind[] = ['WEB_PUSH', 'EMAIL', 'IN_APP'];

/** The columns of a NotificationPreference row, as any reader may select them (all optional: a reader selects what it needs). */
export interface StoredPreference {
  channels?: readonly ChannelKind[] | null;
  language?: string | null;
  timeZone?: string | null;
  quietHoursStart?: string | null;
  quietHoursEnd?: string | null;
  digest?: boolean | null;
  email?: string | null;
  webhookUrl?: string | null;
  webhookSecret?: string | null;
}

/** A preference with every default applied: what the owner is treated as having chosen. */
export interface NotificationPreference {
  channels: readonly ChannelKind[];
  language: Language;
  timeZone: string;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  digest: boolean;
  email: string | null;
  webhookUrl: string | null;
  webhookSecret: string | null;
}

/** The stored preference (or none) with the defaults filled in. */
export function resolvePreferences(stored: StoredPreference | null | undefined): NotificationPreference {
  return {
    channels: stored?.channels ?? DEFAULT_CHANNELS,
    language: stored?.language == null ? DEFAULT_LANGUAGE : languageOf(stored.language),
    timeZone: stored?.timeZone ?? DEFAULT_TIME_ZONE,
    quietHoursStart: stored?.quietHoursStart ?? null,
    quietHoursEnd: stored?.quietHoursEnd ?? null,
    digest: stored?.digest ?? false,
    email: stored?.email ?? null,
    webhookUrl: stored?.webhookUrl ?? null,
    webhookSecret: stored?.webhookSecret ?? null,
  };
}
