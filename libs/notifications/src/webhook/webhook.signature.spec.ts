import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook.signature.js';

describe(verifyWebhookSignature.name, () => {
  const secret = 'whsec_test_3f9a';
  const body = JSON.stringify({ id: 'd-1', title: '紧急：左前轮胎正在漏气' });
  const now = new Date('2026-11-26T08:00:00Z');
  const ts = String(now.getTime() / 1000);
  const signature = signWebhook(secret, body, Number(ts));

  it('signs v1 as hex HMAC-SHA256 over "<timestamp>.<raw body>"', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signature).toBe(`v1=${expected}`);
  });

  it('accepts the exact body within the tolerance', () => {
    expect(verifyWebhookSignature(secret, body, ts, signature, new Date(now.getTime() + 299_000))).toBe(true);
  });

  it('rejects a changed body, another secret, a stale or future timestamp, missing headers', () => {
    expect(verifyWebhookSignature(secret, `${body} `, ts, signature, now)).toBe(false);
    expect(verifyWebhookSignature('other', body, ts, signature, now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, ts, signature, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifyWebhookSignature(secret, body, ts, signature, new Date(now.getTime() - 301_000))).toBe(false);
    expect(verifyWebhookSignature(secret, body, undefined, signature, now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, ts, undefined, now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, '1e9', signature, now)).toBe(false);
  });

  it('rejects a signature re-used with another timestamp', () => {
    expect(verifyWebhookSignature(secret, body, String(Number(ts) + 1), signature, now)).toBe(false);
  });

  it('accepts any of several signatures during a secret rotation', () => {
    const old = signWebhook('old-secret', body, Number(ts));
    expect(verifyWebhookSignature(secret, body, ts, `${old}, ${signature}`, now)).toBe(true);
  });
});
