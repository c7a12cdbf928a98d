import type { DeliveryResult, NotificationChannel, RenderedMessage } from '../channels/notification-channel.model.js';
import { MAX_DELIVERY_ATTEMPTS, nextRetryDelay, shouldRetry } from './retry.policy.js';

export interface AttemptRecord {
  attempt: number;
  result: DeliveryResult;
  durationMs: number;
  /** The wait before the next attempt; undefined when this was the last. */
  nextDelayMs?: number;
}

export interface RetryOptions {
  /** Injected so tests (and a worker that re-queues with a delay instead) decide how time passes. */
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  maxAttempts?: number;
  now?: () => number;
  onAttempt?: (record: AttemptRecord) => void | Promise<void>;
}

export interface RetryOutcome {
  result: DeliveryResult;
  attempts: AttemptRecord[];
}

/**
 * Sends through `channel` until it succeeds, fails for good, or runs out of attempts, waiting the
 * retry policy's delays in between. For in-process retries; a queue worker that persists attempts
 * uses nextRetryDelay/shouldRetry directly as its job backoff.
 */
export async function sendWithRetry<Target>(
  channel: NotificationChannel<Target>,
  target: Target,
  message: RenderedMessage,
  options: RetryOptions,
): Promise<RetryOutcome> {
  const maxAttempts = options.maxAttempts ?? MAX_DELIVERY_ATTEMPTS;
  const now = options.now ?? (() => performance.now());
  const attempts: AttemptRecord[] = [];
  for (let attempt = 1; ; attempt++) {
    const started = now();
    const result = await channel.send(target, message);
    const record: AttemptRecord = { attempt, result, durationMs: Math.round(now() - started) };
    const again = shouldRetry(attempt, result) && attempt < maxAttempts;
    if (again) record.nextDelayMs = nextRetryDelay(attempt, result.ok ? {} : result, options.random);
    attempts.push(record);
    await options.onAttempt?.(record);
    if (!again) return { result, attempts };
    await options.sleep(record.nextDelayMs ?? 0);
  }
}
