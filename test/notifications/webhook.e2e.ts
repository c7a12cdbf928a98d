import { randomUUID } from 'node:crypto';
import { renderReminderMessage, RETRY_DELAYS_MS, sendWithRetry, WebhookChannel, type WebhookTarget } from '#app/notifications';
import { LOCAL_PEERS } from './support/local-peers.js';
import { reminderContent } from './support/reminder.factory.js';
import { LocalWebhookReceiver, type ScriptedAnswer } from './support/webhook-receiver.js';

describe(WebhookChannel.name, () => {
  const secret = 'whsec_5b1f0c9e7d2a4c68';
  const message = renderReminderMessage(reminderContent(), 'en');
  const sut = new WebhookChannel({ timeoutMs: 2000, allowList: LOCAL_PEERS });
  const receivers: LocalWebhookReceiver[] = [];

  const receiver = async (script: ScriptedAnswer[] = [], receiverSecret = secret, delayMs = 0): Promise<LocalWebhookReceiver> => {
    const r = new LocalWebhookReceiver(receiverSecret, script, delayMs);
    await r.start();
    receivers.push(r);
    return r;
  };
  const target = (r: LocalWebhookReceiver, overrides: Partial<WebhookTarget> = {}): WebhookTarget => ({
    url: r.url,
    secret,
    deliveryId: randomUUID(),
    ...overrides,
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it('posts the message as signed JSON that the receiver verifies', async () => {
    const r = await receiver();
    const t = target(r);

    const result = await sut.send(t, message);

    expect(result).toEqual({ ok: true, statusCode: 200 });
    expect(r.requests).toEqual([expect.objectContaining({ deliveryId: t.deliveryId, verified: true, status: 200 })]);
    expect(r.processed).toEqual([
      {
        id: t.deliveryId,
        type: 'reminder.notification',
        sentAt: expect.any(String),
        title: message.title,
        text: message.text,
        html: message.html,
        data: message.data,
      },
    ]);
  });

  it('is delivered by the retry policy when the receiver answers 500 twice, then 200', async () => {
    const r = await receiver([500, 500]);
    const waits: number[] = [];

    const outcome = await sendWithRetry(sut, target(r), message, {
      // The policy's real delays (30 s, 2 min) are recorded, not waited.
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    expect(outcome.result).toEqual({ ok: true, statusCode: 200 });
    expect(outcome.attempts.map((a) => a.result)).toEqual([
      { ok: false, retryable: true, statusCode: 500, detail: 'HTTP 500' },
      { ok: false, retryable: true, statusCode: 500, detail: 'HTTP 500' },
      { ok: true, statusCode: 200 },
    ]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[0] * 0.8);
    expect(waits[0]).toBeLessThanOrEqual(RETRY_DELAYS_MS[0] * 1.2);
    expect(waits[1]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[1] * 0.8);
    expect(waits[1]).toBeLessThanOrEqual(RETRY_DELAYS_MS[1] * 1.2);
    // Every attempt was signed afresh and carried the same delivery id; the receiver handled it once.
    expect(r.requests.map((q) => q.verified)).toEqual([true, true, true]);
    expect(new Set(r.requests.map((q) => q.deliveryId)).size).toBe(1);
    expect(r.processed).toHaveLength(1);
  });

  it("waits as long as a rate-limited receiver's Retry-After asks, when that is longer than the backoff", async () => {
    const r = await receiver([
      { status: 429, headers: { 'Retry-After': '900' } },
      { status: 503, headers: { 'Retry-After': '1' } },
    ]);
    const waits: number[] = [];

    const outcome = await sendWithRetry(sut, target(r), message, { sleep: async (ms) => void waits.push(ms) });

    expect(outcome.attempts.map((a) => a.result)).toEqual([
      { ok: false, retryable: true, statusCode: 429, retryAfterMs: 900_000, detail: 'HTTP 429' },
      { ok: false, retryable: true, statusCode: 503, retryAfterMs: 1_000, detail: 'HTTP 503' },
      { ok: true, statusCode: 200 },
    ]);
    // 15 min asked for instead of about 30 s; 1 s asked for is shorter than the second backoff (about 2 min).
    expect(waits[0]).toBe(900_000);
    expect(waits[1]).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[1] * 0.8);
  });

  it('gives up after six attempts against a receiver that stays down', async () => {
    const r = await receiver([503, 503, 503, 503, 503, 503, 503]);

    const outcome = await sendWithRetry(sut, target(r), message, { sleep: async () => undefined });

    expect(outcome.attempts).toHaveLength(6);
    expect(outcome.result).toMatchObject({ ok: false, retryable: true, statusCode: 503 });
    expect(outcome.attempts[5].nextDelayMs).toBeUndefined();
  });

  it('lets the receiver drop a redelivery of a delivery it already handled', async () => {
    const r = await receiver();
    const t = target(r);

    await sut.send(t, message);
    const again = await sut.send(t, message);

    expect(again.ok).toBe(true);
    expect(r.requests).toHaveLength(2);
    expect(r.processed).toHaveLength(1);
  });

  it('does not retry when the receiver rejects the signature (wrong secret): 401 is final', async () => {
    const r = await receiver([], 'another-secret');

    const outcome = await sendWithRetry(sut, target(r), message, { sleep: async () => undefined });

    expect(outcome.attempts).toHaveLength(1);
    expect(outcome.result).toMatchObject({ ok: false, retryable: false, statusCode: 401 });
  });

  it('times out a receiver that does not answer, as a retryable failure', async () => {
    const r = await receiver([], secret, 1500);
    const impatient = new WebhookChannel({ timeoutMs: 200, allowList: LOCAL_PEERS });

    const result = await impatient.send(target(r), message);

    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.detail).toMatch(/timeout/);
  });

  it('refuses a URL that is not http(s) without trying', async () => {
    const r = await receiver();

    const result = await sut.send(target(r, { url: 'file:///etc/passwd' }), message);

    expect(result).toMatchObject({ ok: false, retryable: false });
  });
});
