/**
 * Per-caller request limit as a sliding-window counter (the previous fixed window's count, weighted by how
 * much of it still overlaps the last `windowMs`, plus the current window's). Two counters per caller instead
 * of a log of timestamps, and no double burst at a window boundary as a plain fixed window allows.
 * Pure: Redis only counts (rate-limit.store.ts); the decision and the headers are computed here.
 */
export interface RequestRatePolicy {
  readonly limit: number;
  readonly windowMs: number;
}

export interface WindowPosition {
  /** Index of the fixed window `nowMs` falls in; names the Redis counter. */
  readonly index: number;
  readonly elapsedMs: number;
}

/** Counts as Redis returns them, this request already counted in `current`. */
export interface WindowCounts {
  readonly previous: number;
  readonly current: number;
}

export interface RequestRateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** RateLimit-Reset: when refused, as Retry-After; otherwise when the current window closes. */
  readonly resetSeconds: number;
  /** Null when allowed. */
  readonly retryAfterSeconds: number | null;
}

export function windowPosition(nowMs: number, windowMs: number): WindowPosition {
  const index = Math.floor(nowMs / windowMs);
  return { index, elapsedMs: nowMs - index * windowMs };
}

/**
 * Refused requests are counted too (the counter is incremented before deciding, which is what keeps
 * concurrent requests from overshooting): a client that ignores Retry-After keeps itself limited, and
 * one that honours it gets in at the time it was told, because that time assumes it sends nothing more.
 */
export function decideRequest(policy: RequestRatePolicy, counts: WindowCounts, nowMs: number): RequestRateDecision {
  const { limit, windowMs } = policy;
  const { elapsedMs } = windowPosition(nowMs, windowMs);
  const estimate = counts.previous * (1 - elapsedMs / windowMs) + counts.current;
  const allowed = estimate <= limit;
  const remaining = Math.max(0, Math.floor(limit - estimate));
  if (allowed) {
    return { allowed, limit, remaining, resetSeconds: toSeconds(windowMs - elapsedMs), retryAfterSeconds: null };
  }
  const retryAfterSeconds = toSeconds(msUntilNextAllowed(policy, counts, elapsedMs));
  return { allowed, limit, remaining, resetSeconds: retryAfterSeconds, retryAfterSeconds };
}

/** The earliest wait after which one more request fits, if the caller sends nothing meanwhile. */
export function msUntilNextAllowed(policy: RequestRatePolicy, counts: WindowCounts, elapsedMs: number): number {
  const { limit, windowMs } = policy;
  const { previous, current } = counts;
  // Still in this window: previous * (1 - e / W) + current + 1 <= limit, once the previous window has aged enough.
  if (previous > 0 && current + 1 <= limit) {
    const at = windowMs * (1 - (limit - current - 1) / previous);
    if (at < windowMs) return Math.max(0, at - elapsedMs);
  }
  // In the next window this one is the previous: current * (1 - x / W) + 1 <= limit.
  const intoNext = current + 1 > limit ? windowMs * (1 - (limit - 1) / current) : 0;
  return windowMs - elapsedMs + intoNext;
}

/** Whole seconds, rounded up so a client that waits exactly that long is not refused again; at least 1. */
export function toSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** An IPv4 client seen through an IPv6 socket counts as the same address as over IPv4. */
export function addressKeyOf(ip: string | undefined): string {
  if (!ip) return 'unknown';
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice('::ffff:'.length) : ip.toLowerCase();
}
