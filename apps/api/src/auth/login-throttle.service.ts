import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { RateLimitStore } from '../rate-limit/rate-limit.store.js';
import { addressKeyOf } from '../rate-limit/request-rate.policy.js';
import { TooManyRequestsError } from '../rate-limit/too-many-requests.error.js';
import { accountKeyOf, decideLoginAttempt, type LoginThrottlePolicy } from './login-throttle.policy.js';

/** The counters one login attempt was recorded under, to take it back if it succeeds. */
export interface LoginAttempt {
  readonly accountKey: string;
  readonly addressKey: string;
}

/**
 * Failed logins per account and per client address, across API replicas.
 *
 * Fails open when Redis is away, like the request limit: refusing every login would lock every owner
 * and every service center out of the platform for the length of a Redis outage, while an attacker
 * gains only that window, still at one bcrypt comparison per guess and still under the per-request
 * limit once Redis is back. The store logs the outage (at most every 30 s) so it is not silent.
 */
@Injectable()
export class LoginThrottleService {
  private readonly policy: LoginThrottlePolicy;

  constructor(
    private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = config.rateLimit.login;
  }

  /** Records the attempt as a failure up front; throws TooManyRequestsError, before any password check, when over a limit. */
  async begin(email: string, clientIp: string | undefined): Promise<LoginAttempt> {
    const attempt = { accountKey: accountKeyOf(email), addressKey: addressKeyOf(clientIp) };
    const counters = await this.store.countLoginAttempt(attempt.accountKey, attempt.addressKey, this.policy.windowSeconds * 1000);
    const decision = counters === null ? null : decideLoginAttempt(this.policy, counters);
    if (decision !== null && !decision.allowed) {
      throw new TooManyRequestsError(`Too many failed logins; try again in ${decision.retryAfterSeconds} s`, decision.retryAfterSeconds);
    }
    return attempt;
  }

  /** A correct password resets the account's count and gives the address its attempt back. */
  succeeded(attempt: LoginAttempt): Promise<void> {
    return this.store.loginSucceeded(attempt.accountKey, attempt.addressKey);
  }
}
