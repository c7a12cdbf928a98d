import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_HEADERS = {
  timestamp: 'X-CarHealth-Timestamp',
  signature: 'X-CarHealth-Signature',
  delivery: 'X-CarHealth-Delivery',
} as const;

const SCHEME = 'v1';

/** `v1=<hex HMAC-SHA256(secret, "<timestamp>.<rawBody>")>`: the timestamp is signed so a captured request cannot be replayed later. */
export function signWebhook(secret: string, rawBody: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `${SCHEME}=${mac}`;
}

/**
 * For receivers: true only when the signature matches the exact raw body and the timestamp is within
 * `toleranceSeconds` of `now`. Several comma-separated `v1=` values are accepted, so a sender can
 * sign with an old and a new secret while the secret is being rotated.
 */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string,
  timestampHeader: string | undefined,
  signatureHeader: string | undefined,
  now: Date,
  toleranceSeconds = 300,
): boolean {
  if (timestampHeader === undefined || signatureHeader === undefined) return false;
  if (!/^\d{1,12}$/.test(timestampHeader)) return false;
  const timestamp = Number(timestampHeader);
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, rawBody, timestamp));
  return (
    signatureHeader
      .split(',')
      .map((part) => Buffer.from(part.trim()))
      // Constant-time comparison: a byte-by-byte early exit would leak how much of a guess was right.
      .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))
  );
}
