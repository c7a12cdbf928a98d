import type { ChannelKind } from '#app/notifications';

/** What GET returns: the secret itself never, only whether one is set. */
export interface PreferenceView {
  channels: ChannelKind[];
  language: string;
  timeZone: string;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  digest: boolean;
  email: string | null;
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  updatedAt: string | null;
}

/** What PUT returns: `webhookSecret` only when the server generated one now (shown this once). */
export interface UpdatedPreferenceView extends PreferenceView {
  webhookSecret?: string;
}
