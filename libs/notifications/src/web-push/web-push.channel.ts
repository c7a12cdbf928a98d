import { createHash } from 'node:crypto';
import webPush from 'web-push';
import { classifyHttpStatus, describeError, networkFailure } from '../channels/http-failure.classifier.js';
import type { DeliveryResult, NotificationChannel, RenderedMessage } from '../channels/notification-channel.model.js';
import { postOutbound, retryAfterOf } from '../outbound/outbound-http.client.js';
import { OutboundTargetRefusedError } from '../outbound/outbound-target-refused.error.js';
import { OutboundAllowList } from '../outbound/outbound-target.policy.js';
import type { VapidIdentity, WebPushTarget } from './web-push.model.js';

export interface WebPushChannelOptions {
  vapid: VapidIdentity;
  /** How long the push service keeps the message for an offline device (seconds). */
  ttlSeconds: number;
  timeoutMs?: number;
  /** Private ranges this deployment may call anyway (tests, local push services); none by default. */
  allowList?: OutboundAllowList;
}

/**
 * The JSON a service worker receives in its `push` event: what `pushPayload` builds is what gets encrypted.
 * `tag` is the notification's identity for `showNotification(title, { body, tag, data })`: a browser
 * replaces a shown notification that has the same tag instead of showing a second one. It is the delivery
 * id when there is one, so a message re-sent after a worker crash (same delivery) replaces itself on the
 * phone, while a repeat or escalation (a new delivery) is shown anew. See libs/notifications/WEB-PUSH.md.
 */
export function pushPayload(message: RenderedMessage): string {
  const tag = notificationTag(message);
  return JSON.stringify({ title: message.title, body: message.text, ...(tag === undefined ? {} : { tag }), data: message.data });
}

function notificationTag(message: RenderedMessage): string | undefined {
  const { deliveryId, reminderId } = message.data;
  if (typeof deliveryId === 'string' && deliveryId !== '') return `delivery:${deliveryId}`;
  if (typeof reminderId === 'string' && reminderId !== '') return `reminder:${reminderId}`;
  return undefined;
}

/**
 * Web Push (RFC 8030) with aes128gcm payload encryption (RFC 8291) and VAPID (RFC 8292).
 * web-push builds the encrypted body and the headers; the request itself goes through postOutbound, which
 * checks the browser-supplied endpoint's every address at send time (a subscription is owner input).
 */
export class WebPushChannel implements NotificationChannel<WebPushTarget> {
  readonly kind = 'WEB_PUSH' as const;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebPushChannelOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async send(target: WebPushTarget, message: RenderedMessage): Promise<DeliveryResult> {
    let request: webPush.RequestDetails;
    try {
      request = webPush.generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        pushPayload(message),
        {
          vapidDetails: this.options.vapid,
          TTL: this.options.ttlSeconds,
          contentEncoding: 'aes128gcm',
          urgency: urgencyOf(message),
          ...topicOf(message),
        },
      );
    } catch (error) {
      // Malformed subscription keys or endpoint: retrying the same subscription cannot succeed.
      return { ok: false, retryable: false, detail: `invalid subscription: ${describeError(error)}` };
    }
    try {
      const response = await postOutbound(
        request.endpoint,
        { headers: stringHeaders(request.headers), body: request.body ?? '', timeoutMs: this.timeoutMs },
        this.options.allowList ?? OutboundAllowList.none,
      );
      return classifyHttpStatus(response.status, response.body, retryAfterOf(response));
    } catch (error) {
      if (error instanceof OutboundTargetRefusedError) return { ok: false, retryable: false, detail: error.message };
      return networkFailure(error);
    }
  }
}

function stringHeaders(headers: webPush.Headers): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}

// Push services may hold low-urgency messages until the phone wakes; anything the owner must act on
// soon asks for immediate delivery.
function urgencyOf(message: RenderedMessage): webPush.Urgency {
  const risk = message.data.risk;
  return risk === 'CRITICAL' || risk === 'URGENT' ? 'high' : 'normal';
}

// A Topic makes the push service replace a still-undelivered older notice of the same reminder
// instead of queueing both (RFC 8030 5.4); it allows at most 32 base64url characters.
function topicOf(message: RenderedMessage): { topic?: string } {
  const reminderId = message.data.reminderId;
  if (typeof reminderId !== 'string' || reminderId === '') return {};
  return { topic: createHash('sha256').update(reminderId).digest('base64url').slice(0, 32) };
}
