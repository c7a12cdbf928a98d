import { MAX_DELIVERY_ATTEMPTS, MAX_RETRY_AFTER_MS, nextRetryDelay, RETRY_DELAYS_MS, retryDelay, shouldRetry } from './retry.policy.js';

describe(retryDelay.name, () => {
  const lowest = () => 0;
  const highest = () => 0.999999;
  const middle = () => 0.5;

  it('grows 30 s, 2 min, 10 min, 1 h, 6 h without jitter', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(a, middle))).toEqual([30_000, 120_000, 600_000, 3_600_000, 21_600_000]);
  });

  it('stays within +-20 % of each step', () => {
    RETRY_DELAYS_MS.forEach((base, i) => {
      expect(retryDelay(i + 1, lowest)).toBe(base * 0.8);
      expect(retryDelay(i + 1, highest)).toBeLessThanOrEqual(base * 1.2);
      expect(retryDelay(i + 1, highest)).toBeGreaterThan(base * 1.19);
    });
  });

  it('keeps the last step past the table and rejects attempt 0', () => {
    expect(retryDelay(9, middle)).toBe(21_600_000);
    expect(() => retryDelay(0)).toThrow(RangeError);
  });
});

describe(shouldRetry.name, () => {
  const transient = { ok: false, retryable: true };

  it('retries a retryable failure until the sixth attempt', () => {
    expect(MAX_DELIVERY_ATTEMPTS).toBe(6);
    expect([1, 2, 3, 4, 5, 6].map((a) => shouldRetry(a, transient))).toEqual([true, true, true, true, true, false]);
  });

  it('never retries a success or a permanent failure', () => {
    expect(shouldRetry(1, { ok: true })).toBe(false);
    expect(shouldRetry(1, { ok: false, retryable: false })).toBe(false);
  });
});

describe(nextRetryDelay.name, () => {
  const middle = () => 0.5;

  it("is our backoff unless the peer's Retry-After asks for longer", () => {
    expect(nextRetryDelay(1, {}, middle)).toBe(30_000);
    expect(nextRetryDelay(1, { retryAfterMs: 5_000 }, middle)).toBe(30_000);
    expect(nextRetryDelay(1, { retryAfterMs: 600_000 }, middle)).toBe(600_000);
  });

  it('honours at most a day', () => {
    expect(nextRetryDelay(1, { retryAfterMs: 7 * MAX_RETRY_AFTER_MS }, middle)).toBe(MAX_RETRY_AFTER_MS);
  });
});
