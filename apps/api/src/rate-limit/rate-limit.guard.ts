import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from '#app/auth';
import { addressKeyOf } from './request-rate.policy.js';
import { RequestRateLimiter } from './request-rate-limiter.service.js';
import { SKIP_RATE_LIMIT_KEY } from './skip-rate-limit.decorator.js';
import { TooManyRequestsError } from './too-many-requests.error.js';

interface LimitedRequest extends AuthenticatedRequest {
  ip?: string;
}

interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * Global guard registered after JwtAuthGuard, so an authenticated caller is limited by user id (one
 * budget across devices and API replicas) and anyone else by address. Requests the JWT guard refuses
 * never get here and are not counted: refusing a bad token is as cheap as counting it. A guard runs
 * once per request, so a long-lived SSE connection counts once, when it connects.
 * Ours rather than @nestjs/throttler: it cannot load in jest's ESM loader (ENVIRONMENT-NOTES), and the
 * login lockout (per account and address, in the same Redis scripts) is beyond its per-route counters.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RequestRateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(SKIP_RATE_LIMIT_KEY, [context.getHandler(), context.getClass()])) return true;

    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const subject = request.user ? `user:${request.user.userId}` : `ip:${addressKeyOf(request.ip)}`;
    const decision = await this.limiter.hit(subject);
    if (decision === null) return true; // Redis away: fail open (the store logs it)

    const response = context.switchToHttp().getResponse<HeaderSink>();
    response.setHeader('RateLimit-Limit', String(decision.limit));
    response.setHeader('RateLimit-Remaining', String(decision.remaining));
    response.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (decision.retryAfterSeconds !== null) {
      throw new TooManyRequestsError(
        `Rate limit of ${decision.limit} requests per minute exceeded; retry in ${decision.retryAfterSeconds} s`,
        decision.retryAfterSeconds,
      );
    }
    return true;
  }
}
