import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { throttledLog } from '#app/observability';
import { hashTag, type RedisClient } from '#app/queue';
import type { AttemptCounter } from '../auth/login-throttle.policy.js';
import { RedisClientService } from '../common/redis-client.service.js';
import { TimeoutError, withTimeout } from '../common/with-timeout.js';
import type { WindowCounts } from './request-rate.policy.js';
import { WindowHitCoalescer } from './window-hit.coalescer.js';

// Each script is one atomic step, so concurrent requests on any replica each see their own count. On a Redis
// Cluster a script's keys must share a slot (hashTag): a subject's two windows are tagged by the subject, so
// subjects spread over the masters; a login's account and address counters are tagged together by one fixed tag,
// so all login counters sit on one master (failed logins are few, bcrypt bounds them, and the pair stays atomic).

/**
 * KEYS: this window's counter, the previous window's. ARGV: the counter's lifetime (ms), the hits to add (one request
 * each, WindowHitCoalescer). The counter was created by this call when it now holds exactly these hits.
 */
const HIT_WINDOW = `
local hits = tonumber(ARGV[2])
local current = redis.call('INCRBY', KEYS[1], hits)
if current == hits then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
return {previous, current}
`;

/** KEYS: the account's counter, the address's. ARGV: the window (ms). Returns count and ms left for each. */
const COUNT_LOGIN_ATTEMPT = `
local result = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  result[2 * i - 1] = count
  result[2 * i] = ttl
end
return result
`;

/** KEYS: the account's counter, the address's. A success clears the account and gives the address its attempt back. */
const LOGIN_SUCCEEDED = `
redis.call('DEL', KEYS[1])
if redis.call('DECR', KEYS[2]) <= 0 then redis.call('DEL', KEYS[2]) end
return 1
`;

interface RateLimitCommands {
  rateLimitHitWindow(currentKey: string, previousKey: string, ttlMs: number, hits: number): Promise<[number, number]>;
  rateLimitCountLoginAttempt(accountKey: string, addressKey: string, windowMs: number): Promise<[number, number, number, number]>;
  rateLimitLoginSucceeded(accountKey: string, addressKey: string): Promise<number>;
}

/**
 * A limiter that makes every request wait on a struggling Redis would cost more availability than it
 * protects. Not much lower: bcrypt and a burst of requests can stall the event loop for hundreds of ms,
 * and a limiter that failed open under exactly the load an attack creates would protect nothing.
 */
const COMMAND_TIMEOUT_MS = 1000;
const WARNING_INTERVAL_MS = 30_000;

/**
 * The limiters' counters in Redis, shared by every API replica. Fails open: while Redis is unreachable
 * (or slower than COMMAND_TIMEOUT_MS) every method answers null and the caller lets the request through,
 * with one warning per WARNING_INTERVAL_MS rather than one per request.
 */
@Injectable()
export class RateLimitStore {
  private readonly logger = new Logger(RateLimitStore.name);
  private readonly client: RedisClient & RateLimitCommands;
  private readonly prefix: string;
  private readonly loginPrefix: string;
  private readonly warn = throttledLog((line) => this.logger.warn(line), WARNING_INTERVAL_MS);
  private readonly hits = new WindowHitCoalescer();

  constructor(redis: RedisClientService, @Inject(APP_CONFIG) config: AppConfig) {
    redis.client.defineCommand('rateLimitHitWindow', { numberOfKeys: 2, lua: HIT_WINDOW });
    redis.client.defineCommand('rateLimitCountLoginAttempt', { numberOfKeys: 2, lua: COUNT_LOGIN_ATTEMPT });
    redis.client.defineCommand('rateLimitLoginSucceeded', { numberOfKeys: 2, lua: LOGIN_SUCCEEDED });
    // defineCommand adds the methods at run time; this is their declared shape.
    this.client = redis.client as RedisClient & RateLimitCommands;
    this.prefix = `${config.queuePrefix}:ratelimit`;
    this.loginPrefix = hashTag(redis.client, `${this.prefix}:login`);
  }

  /**
   * Counts a request of `subject` in fixed window `index` and reads the previous window's count. Concurrent requests of
   * one subject share a call (WindowHitCoalescer), each with its own count.
   */
  hitWindow(subject: string, index: number, windowMs: number): Promise<WindowCounts | null> {
    const tagged = hashTag(this.client, subject);
    const key = (i: number) => `${this.prefix}:req:${tagged}:${i}`;
    const current = key(index);
    return this.hits.hit(current, (hits) =>
      this.run('request limit', async () => {
        // Kept two windows: as the current one, then as the previous one of the next.
        const [previous, count] = await this.client.rateLimitHitWindow(current, key(index - 1), 2 * windowMs + 1000, hits);
        return { previous, current: count };
      }),
    );
  }

  countLoginAttempt(accountKey: string, addressKey: string, windowMs: number): Promise<{ account: AttemptCounter; ip: AttemptCounter } | null> {
    return this.run('login protection', async () => {
      const [accountCount, accountTtl, ipCount, ipTtl] = await this.client.rateLimitCountLoginAttempt(
        this.loginKey('account', accountKey),
        this.loginKey('ip', addressKey),
        windowMs,
      );
      return { account: { count: accountCount, ttlMs: accountTtl }, ip: { count: ipCount, ttlMs: ipTtl } };
    });
  }

  async loginSucceeded(accountKey: string, addressKey: string): Promise<void> {
    await this.run('login protection', () =>
      this.client.rateLimitLoginSucceeded(this.loginKey('account', accountKey), this.loginKey('ip', addressKey)),
    );
  }

  private loginKey(kind: 'account' | 'ip', key: string): string {
    return `${this.loginPrefix}:${kind}:${key}`;
  }

  private async run<T>(what: string, command: () => Promise<T>): Promise<T | null> {
    // Reconnecting: Redis is known to be away; answer now instead of queueing behind the reconnect.
    if (this.client.status === 'reconnecting' || this.client.status === 'close' || this.client.status === 'end') {
      this.warnUnavailable(what, `connection ${this.client.status}`);
      return null;
    }
    try {
      return await withTimeout(command(), COMMAND_TIMEOUT_MS, 'Redis');
    } catch (error) {
      this.warnUnavailable(what, error instanceof TimeoutError ? error.message : String(error));
      return null;
    }
  }

  private warnUnavailable(what: string, reason: string): void {
    this.warn(
      `Redis unavailable for the ${what} (${reason}): request limits and login protection fail open; next warning in ${WARNING_INTERVAL_MS / 1000} s at most`,
    );
  }
}
