import { addressKeyOf, decideRequest, msUntilNextAllowed, type RequestRatePolicy, toSeconds, windowPosition } from './request-rate.policy.js';

const policy: RequestRatePolicy = { limit: 10, windowMs: 60_000 };
/** A time `elapsedMs` into window 1000. */
const at = (elapsedMs: number) => 1000 * policy.windowMs + elapsedMs;

describe(decideRequest.name, () => {
  it('allows up to the limit in a fresh window and counts down what remains', () => {
    expect(decideRequest(policy, { previous: 0, current: 1 }, at(5_000))).toEqual({
      allowed: true,
      limit: 10,
      remaining: 9,
      resetSeconds: 55,
      retryAfterSeconds: null,
    });
    expect(decideRequest(policy, { previous: 0, current: 10 }, at(5_000))).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('refuses the request over the limit and says when the next one fits', () => {
    const decision = decideRequest(policy, { previous: 0, current: 11 }, at(50_000));
    // Next window, 11 requests weigh 11 * (1 - x / 60 s); one more fits once that is <= 9: x = 60 s * 2 / 11.
    expect(decision).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 10 + Math.ceil(120 / 11) });
    expect(decision.resetSeconds).toBe(decision.retryAfterSeconds);
  });

  it('weights the previous window by how much of it still overlaps the last minute', () => {
    // A quarter into this window, 3/4 of the previous window's 8 requests still count: 6 + 4 = 10.
    expect(decideRequest(policy, { previous: 8, current: 4 }, at(15_000))).toMatchObject({ allowed: true, remaining: 0 });
    expect(decideRequest(policy, { previous: 8, current: 5 }, at(15_000))).toMatchObject({ allowed: false });
  });

  it('does not allow a double burst across a window boundary', () => {
    expect(decideRequest(policy, { previous: 10, current: 1 }, at(100))).toMatchObject({ allowed: false });
  });

  it('rounds the remainder down, never promising a request that would be refused', () => {
    // Half-way through: 9 * 0.5 + 1 = 5.5 counted, so 4 more fit, not 5.
    expect(decideRequest(policy, { previous: 9, current: 1 }, at(30_000))).toMatchObject({ allowed: true, remaining: 4 });
  });
});

describe(msUntilNextAllowed.name, () => {
  it('finds the moment in this window when the previous window has aged out enough', () => {
    // previous 8, current 5 at 15 s: one more fits when 8 * (1 - e / 60) + 6 <= 10, e = 30 s.
    expect(msUntilNextAllowed(policy, { previous: 8, current: 5 }, 15_000)).toBe(15_000);
  });

  it('waits into the next window when this window alone is over the limit', () => {
    expect(msUntilNextAllowed(policy, { previous: 0, current: 20 }, 0)).toBe(60_000 + 60_000 * (1 - 9 / 20));
  });

  it('with a limit of one, waits until the last request has left the sliding window', () => {
    expect(msUntilNextAllowed({ limit: 1, windowMs: 60_000 }, { previous: 0, current: 2 }, 10_000)).toBe(110_000);
  });
});

describe(windowPosition.name, () => {
  it('names the window and the time into it', () => {
    expect(windowPosition(at(1_234), policy.windowMs)).toEqual({ index: 1000, elapsedMs: 1_234 });
  });
});

describe(toSeconds.name, () => {
  it('rounds up and never answers 0', () => {
    expect(toSeconds(1)).toBe(1);
    expect(toSeconds(0)).toBe(1);
    expect(toSeconds(1_001)).toBe(2);
    expect(toSeconds(2_000)).toBe(2);
  });
});

describe(addressKeyOf.name, () => {
  it('treats an IPv4-mapped IPv6 address as the IPv4 address', () => {
    expect(addressKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKeyOf('2001:DB8::1')).toBe('2001:db8::1');
    expect(addressKeyOf(undefined)).toBe('unknown');
  });
});
