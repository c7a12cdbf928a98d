import { createHash } from 'node:crypto';
import { toSeconds } from '../rate-limit/request-rate.policy.js';

/**
 * Login brute-force protection: fixed windows that start at an account's (or an address's) first failed
 * attempt. Pure: the counting is atomic in Redis (rate-limit.store.ts); what it means is decided here.
 */
export interface LoginThrottlePolicy {
  readonly maxFailuresPerAccount: number;
  readonly maxFailuresPerIp: number;
  readonly windowSeconds: number;
}

/** One counter as Redis returns it: this attempt already counted, and the time left in its window. */
export interface AttemptCounter {
  readonly count: number;
  readonly ttlMs: number;
}

export type LoginAttemptDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * Every attempt is counted as a failure before the password is checked, and only a success takes it back:
 * so N concurrent guesses cannot all slip past a check made before any of them failed. With at most
 * `maxFailures` failures allowed, the attempt that makes the count `maxFailures + 1` is the first refused.
 */
export function decideLoginAttempt(
  policy: LoginThrottlePolicy,
  counters: { readonly account: AttemptCounter; readonly ip: AttemptCounter },
): LoginAttemptDecision {
  const exceeded = [
    counters.account.count > policy.maxFailuresPerAccount ? counters.account : null,
    counters.ip.count > policy.maxFailuresPerIp ? counters.ip : null,
  ].filter((counter): counter is AttemptCounter => counter !== null);
  if (exceeded.length === 0) return { allowed: true };
  // Refused until every exceeded counter has expired; a counter without a TTL (never expected) waits a window.
  const waitMs = Math.max(...exceeded.map((counter) => (counter.ttlMs > 0 ? counter.ttlMs : policy.windowSeconds * 1000)));
  return { allowed: false, retryAfterSeconds: toSeconds(waitMs) };
}

/** The account's counter name: hashed, so Redis holds no e-mail addresses (and no attacker-sized keys). */
export function accountKeyOf(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
}
