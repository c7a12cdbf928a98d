import { z } from 'zod';
import { refusalOfOwnerUrl } from '#app/notifications';
import { storable, text } from '../common/text.schema.js';

const base64url = (bytes: number) =>
  text()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url')
    .refine((value) => Buffer.from(value, 'base64url').length === bytes, { error: `must encode ${bytes} bytes` });

/** Exactly what the browser's PushSubscription.toJSON() gives. */
export const pushSubscriptionSchema = z.object({
  // Push services are https. Where the endpoint may actually be sent to is decided at send time
  // (outbound-http.client.ts): a browser-supplied endpoint is owner input like a webhook URL.
  endpoint: storable(z.url())
    .max(2000)
    .refine((value) => refusalOfOwnerUrl(value) === null, { error: 'must be an https URL' }),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key (65-byte uncompressed point). */
    p256dh: base64url(65),
    /** The 16-byte authentication secret. */
    auth: base64url(16),
  }),
});

export type PushSubscriptionRequest = z.output<typeof pushSubscriptionSchema>;

/**
 * What a service worker sends from its `pushsubscriptionchange` event: the browser replaced the
 * subscription and there is no signed-in page to re-register it. The old endpoint and its auth secret
 * (both only ever known to that browser and to us) prove the change comes from the same browser.
 */
export const pushSubscriptionChangeSchema = z.object({
  oldEndpoint: text().min(1).max(2000),
  oldAuth: base64url(16),
  subscription: pushSubscriptionSchema,
});

export type PushSubscriptionChangeRequest = z.output<typeof pushSubscriptionChangeSchema>;

export const pushSubscriptionIdSchema = z.uuid({ error: 'must be a subscription id (UUID)' });
