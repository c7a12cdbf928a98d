import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { decideRequest, type RequestRateDecision, type RequestRatePolicy, windowPosition } from './request-rate.policy.js';
import { RateLimitStore } from './rate-limit.store.js';

@Injectable()
export class RequestRateLimiter {
  private readonly policy: RequestRatePolicy;

  constructor(
    private readonly store: RateLimitStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = { limit: config.rateLimit.requestsPerMinute, windowMs: 60_000 };
  }

  /** Counts one request of `subject`; null when Redis could not be asked (the request goes through). */
  async hit(subject: string, nowMs: number = Date.now()): Promise<RequestRateDecision | null> {
    const counts = await this.store.hitWindow(subject, windowPosition(nowMs, this.policy.windowMs).index, this.policy.windowMs);
    return counts === null ? null : decideRequest(this.policy, counts, nowMs);
  }
}
