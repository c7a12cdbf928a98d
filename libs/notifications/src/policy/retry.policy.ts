/** Waits after failed attempt 1, 2, ...: a push service or SMTP relay that is down is usually back within hours. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000] as const;
/** The first attempt and one per delay above. */
export const MAX_DELIVERY_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** Each delay is spread over +-20 %, so deliveries that failed together (an outage) do not retry together. */
export const RETRY_JITTER = 0.2;

/**
 * Milliseconds to wait after failed attempt `attempt` (1-based) before the next one, within
 * [base * 0.8, base * 1.2]. Past the table the last delay applies; callers stop at MAX_DELIVERY_ATTEMPTS.
 */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  const base = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1];
  const spread = (random() * 2 - 1) * RETRY_JITTER;
  return Math.round(base * (1 + spread));
}

/** Whether a failed attempt `attempt` (1-based) should be followed by another. */
export function shouldRetry(attempt: number, result: { ok: boolean; retryable?: boolean }): boolean {
  return !result.ok && result.retryable === true && attempt < MAX_DELIVERY_ATTEMPTS;
}

/** The longest Retry-After we honour: a peer asking for more is retried on our own schedule. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * The wait after failed attempt `attempt`: our backoff, or longer when the peer asked for longer with
 * Retry-After (a rate-limited receiver hit again early only stays rate-limited). Capped at a day.
 */
export function nextRetryDelay(attempt: number, result: { retryAfterMs?: number }, random: () => number = Math.random): number {
  const backoff = retryDelay(attempt, random);
  return Math.max(backoff, Math.min(result.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
}
