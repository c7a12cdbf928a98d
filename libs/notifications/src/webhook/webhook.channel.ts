import { classifyHttpStatus, networkFailure } from '../channels/http-failure.classifier.js';
import { postOutbound, retryAfterOf } from '../outbound/outbound-http.client.js';
import { OutboundTargetRefusedError } from '../outbound/outbound-target-refused.error.js';
import { OutboundAllowList } from '../outbound/outbound-target.policy.js';
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
  /** Private ranges this deployment may call anyway (tests, local peers); none by default. */
  allowList?: OutboundAllowList;
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
  private readonly allowList: OutboundAllowList;

  constructor(options: WebhookChannelOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.allowList = options.allowList ?? OutboundAllowList.none;
    this.clock = options.clock ?? (() => new Date());
  }

  async send(target: WebhookTarget, message: RenderedMessage): Promise<DeliveryResult> {
    const now = this.clock();
    const body: WebhookBody = { id: target.deliveryId, type: 'reminder.notification', sentAt: now.toISOString(), ...message };
    const rawBody = JSON.stringify(body);
    const timestamp = Math.floor(now.getTime() / 1000);
    try {
      // Never follows a redirect: it would re-POST the signed body somewhere the owner did not configure.
      const response = await postOutbound(
        target.url,
        {
          headers: {
            'Content-Type': 'application/json; charset=utf-8',
            'User-Agent': 'CarHealth-Webhook/1',
            [WEBHOOK_HEADERS.timestamp]: String(timestamp),
            [WEBHOOK_HEADERS.signature]: signWebhook(target.secret, rawBody, timestamp),
            [WEBHOOK_HEADERS.delivery]: target.deliveryId,
          },
          body: rawBody,
          timeoutMs: this.timeoutMs,
        },
        this.allowList,
      );
      return classifyHttpStatus(response.status, response.body, retryAfterOf(response));
    } catch (error) {
      // Recorded on the delivery as its last error: the owner's URL is the problem, not the network.
      if (error instanceof OutboundTargetRefusedError) return { ok: false, retryable: false, detail: error.message };
      return networkFailure(error);
    }
  }
}
