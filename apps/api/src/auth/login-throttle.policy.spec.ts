import { accountKeyOf, decideLoginAttempt, type LoginThrottlePolicy } from './login-throttle.policy.js';

const policy: LoginThrottlePolicy = { maxFailuresPerAccount: 10, maxFailuresPerIp: 50, windowSeconds: 900 };
const counter = (count: number, ttlMs = 600_000) => ({ count, ttlMs });

describe(decideLoginAttempt.name, () => {
  it('allows the attempts up to the limit (this one included)', () => {
    expect(decideLoginAttempt(policy, { account: counter(10), ip: counter(50) })).toEqual({ allowed: true });
  });

  it('refuses the 11th attempt on an account until its window ends', () => {
    expect(decideLoginAttempt(policy, { account: counter(11, 599_001), ip: counter(11) })).toEqual({
      allowed: false,
      retryAfterSeconds: 600,
    });
  });

  it('refuses an address over its own limit whatever the account', () => {
    expect(decideLoginAttempt(policy, { account: counter(1, 900_000), ip: counter(51, 30_000) })).toEqual({
      allowed: false,
      retryAfterSeconds: 30,
    });
  });

  it('waits for the later of two exceeded windows', () => {
    expect(decideLoginAttempt(policy, { account: counter(12, 5_000), ip: counter(60, 70_000) })).toEqual({
      allowed: false,
      retryAfterSeconds: 70,
    });
  });

  it('waits a whole window for a counter without an expiry, and never answers 0 s', () => {
    expect(decideLoginAttempt(policy, { account: counter(11, -1), ip: counter(1) })).toEqual({ allowed: false, retryAfterSeconds: 900 });
    expect(decideLoginAttempt(policy, { account: counter(11, 1), ip: counter(1) })).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe(accountKeyOf.name, () => {
  it('is the same for any spelling of one address and does not contain it', () => {
    expect(accountKeyOf(' Owner@Example.COM ')).toBe(accountKeyOf('owner@example.com'));
    expect(accountKeyOf('owner@example.com')).not.toContain('owner');
    expect(accountKeyOf('a@example.com')).not.toBe(accountKeyOf('b@example.com'));
  });
});
