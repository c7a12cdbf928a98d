// The contract every delivery channel keeps, so the delivery worker can treat them alike.

export const CHANNEL_KINDS = ['WEB_PUSH', 'WEBHOOK', 'EMAIL', 'IN_APP'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Structured values a client can act on (deep link, reminder id, risk...). */
export type MessageData = Record<string, string | number | null>;

/** One reminder rendered for one owner in one language: the same text whatever the channel. */
export interface RenderedMessage {
  title: string;
  text: string;
  html: string;
  data: MessageData;
}

export type DeliveryResult =
  | { ok: true; statusCode?: number }
  | {
      ok: false;
      /** Worth trying again later (network error, timeout, 5xx, 429, SMTP 4xx). */
      retryable: boolean;
      /** The endpoint no longer exists (push service 404/410): remove the subscription, never retry. */
      gone?: boolean;
      statusCode?: number;
      /** The peer asked us to wait this long before trying again (a Retry-After header on 429/503). */
      retryAfterMs?: number;
      detail: string;
    };

export type DeliveryFailure = Extract<DeliveryResult, { ok: false }>;

/**
 * A channel never throws for a failed delivery: it classifies the failure, because the caller's
 * next step (retry, give up, drop the subscription) depends only on that classification.
 */
export interface NotificationChannel<Target> {
  readonly kind: ChannelKind;
  send(target: Target, message: RenderedMessage): Promise<DeliveryResult>;
}
