import { classifyHttpStatus, networkFailure } from '../channels/http-failure.classifier.js';
import type { DeliveryResult, NotificationChannel, RenderedMessage } from '../channels/notification-channel.model.js';
import { signWebhook, WEBHOOK_HEADERS } from './webhook.signature.js';

export interface WebhookTarget {
  url: string;
  secret: string;
  /** The NotificationDelivery id: the same on every retry, so a receiver can drop a redelivery. */
  deliveryId: string;
}

export interface WebhookChannelOptions {
  timeoutMs?: number;
  clock?: () => Date;
}

/** The JSON body a receiver gets (see WEBHOOKS.md). */
export interface WebhookBody {
  id: string;
  type: 'reminder.notification';
  sentAt: string;
  title: string;
  text: string;
  html: string;
  data: RenderedMessage['data'];
}

/** POSTs the message as signed JSON to an owner's or company's own endpoint. */
export class WebhookChannel implements NotificationChannel<WebhookTarget> {
  readonly kind = 'WEBHOOK' as const;
  private readonly timeoutMs: number;
  private readonly clock: () => Date;

  constructor(options: WebhookChannelOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.clock = options.clock ?? (() => new Date());
  }

  async send(target: WebhookTarget, message: RenderedMessage): Promise<DeliveryResult> {
    if (!isHttpUrl(target.url)) return { ok: false, retryable: false, detail: `invalid webhook URL: ${target.url}` };
    const now = this.clock();
    const body: WebhookBody = { id: target.deliveryId, type: 'reminder.notification', sentAt: now.toISOString(), ...message };
    const rawBody = JSON.stringify(body);
    const timestamp = Math.floor(now.getTime() / 1000);
    try {
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'CarHealth-Webhook/1',
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(target.secret, rawBody, timestamp),
          [WEBHOOK_HEADERS.delivery]: target.deliveryId,
        },
        body: rawBody,
        // Redirects would re-POST the signed body somewhere the owner did not configure.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return classifyHttpStatus(response.status, await response.text(), response.headers.get('retry-after'));
    } catch (error) {
      return networkFailure(error);
    }
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
