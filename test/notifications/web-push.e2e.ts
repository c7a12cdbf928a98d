import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import webPush from 'web-push';
import { pushPayload, renderReminderMessage, type VapidIdentity, VapidKeyStore, WebPushChannel, type WebPushTarget } from '#app/notifications';
import { LocalPushService } from './support/push-service.js';
import { LOCAL_PEERS } from './support/local-peers.js';
import { reminderContent } from './support/reminder.factory.js';

describe(WebPushChannel.name, () => {
  const pushService = new LocalPushService();
  let keyDir: string;
  let vapid: VapidIdentity;
  let sut: WebPushChannel;
  const message = renderReminderMessage(reminderContent(), 'zh');

  const target = (subscription: { endpoint: string; p256dh: string; auth: string }): WebPushTarget => ({
    endpoint: subscription.endpoint,
    p256dh: subscription.p256dh,
    auth: subscription.auth,
  });

  beforeAll(async () => {
    await pushService.start();
    keyDir = await mkdtemp(join(tmpdir(), 'vapid-'));
    const keys = await new VapidKeyStore(join(keyDir, 'vapid.json')).load();
    vapid = { ...keys, subject: 'mailto:ops@carhealth.example' };
    sut = new WebPushChannel({ vapid, ttlSeconds: 86_400, timeoutMs: 2000, allowList: LOCAL_PEERS });
  });

  afterAll(async () => {
    await pushService.stop();
    await rm(keyDir, { recursive: true, force: true });
  });

  it('delivers a payload the subscriber decrypts to exactly the rendered reminder', async () => {
    const subscription = pushService.subscribe(vapid.publicKey);

    const result = await sut.send(target(subscription), message);

    expect(result).toEqual({ ok: true, statusCode: 201 });
    const received = pushService.received.filter((r) => r.subscriptionId === subscription.id);
    expect(received).toHaveLength(1);
    expect(received[0].plaintext).toBe(pushPayload(message));
    expect(JSON.parse(received[0].plaintext)).toEqual({
      title: '紧急：左前轮胎正在漏气',
      body: message.text,
      tag: 'reminder:c1a4e7f0-2b43-4d55-8d11-6f1e2a3b4c5d',
      data: message.data,
    });
    expect(received[0]).toMatchObject({ ttl: 86_400, urgency: 'high', vapid: { sub: 'mailto:ops@carhealth.example' } });
    expect(received[0].topic).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('tags the notification with the delivery id: a re-sent delivery replaces itself on the phone, a new one is shown', async () => {
    const subscription = pushService.subscribe(vapid.publicKey);
    const delivery = (deliveryId: string) => ({ ...message, data: { ...message.data, deliveryId } });

    for (const deliveryId of ['d-1', 'd-1', 'd-2']) expect(await sut.send(target(subscription), delivery(deliveryId))).toMatchObject({ ok: true });

    expect(pushService.received.filter((r) => r.subscriptionId === subscription.id)).toHaveLength(3);
    expect(pushService.shownNotifications(subscription.id).map((n) => n.tag)).toEqual(['delivery:d-1', 'delivery:d-2']);
  });

  it('reports a subscription the push service says is gone (410), not retryable', async () => {
    const subscription = pushService.subscribe(vapid.publicKey);
    pushService.expire(subscription.id);

    const result = await sut.send(target(subscription), message);

    expect(result).toMatchObject({ ok: false, gone: true, retryable: false, statusCode: 410 });
  });

  it('is refused (403, not retryable) when the subscription was made for another VAPID key', async () => {
    const subscription = pushService.subscribe(webPush.generateVAPIDKeys().publicKey);

    const result = await sut.send(target(subscription), message);

    expect(result).toMatchObject({ ok: false, retryable: false, statusCode: 403 });
    expect(result).not.toHaveProperty('gone');
  });

  it('does not throw for malformed subscription keys: a final failure', async () => {
    const subscription = pushService.subscribe(vapid.publicKey);

    const result = await sut.send({ ...target(subscription), p256dh: 'not-a-key' }, message);

    expect(result).toMatchObject({ ok: false, retryable: false });
  });

  it('classifies an unreachable push service as retryable', async () => {
    const down = new LocalPushService();
    await down.start();
    const subscription = down.subscribe(vapid.publicKey);
    await down.stop();

    const result = await sut.send(target(subscription), message);

    expect(result).toMatchObject({ ok: false, retryable: true });
  });

  describe('the test push service itself', () => {
    it('rejects a JWT not signed by the key it names, so the success above proves a valid signature', async () => {
      const subscription = pushService.subscribe(vapid.publicKey);
      const other = webPush.generateVAPIDKeys();
      const forged = webPush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        'hello',
        {
          vapidDetails: { subject: 'mailto:x@example.com', publicKey: other.publicKey, privateKey: other.privateKey },
          contentEncoding: 'aes128gcm',
          TTL: 60,
        },
      );
      const headers = { ...forged.headers, Authorization: forged.headers.Authorization.replace(/k=.*$/, `k=${vapid.publicKey}`) };

      const response = await fetch(forged.endpoint, { method: 'POST', headers, body: forged.body });

      expect(response.status).toBe(401);
      expect(await response.text()).toBe('JWT signature does not verify against k');
    });

    it('rejects a body encrypted for another subscription', async () => {
      const subscription = pushService.subscribe(vapid.publicKey);
      const stranger = pushService.subscribe(vapid.publicKey);
      const request = webPush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: stranger.p256dh, auth: stranger.auth } },
        'hello',
        { vapidDetails: vapid, contentEncoding: 'aes128gcm', TTL: 60 },
      );

      const response = await fetch(request.endpoint, { method: 'POST', headers: request.headers, body: request.body });

      expect(response.status).toBe(400);
    });
  });
});
