import { z } from 'zod';
import { positiveInt, type Env, type Rules } from '../env-schema.js';
import { processLocalSecret, secretProblem } from '../secrets.js';
import type { coreShape } from './core.section.js';

export const httpShape = {
  PORT: positiveInt(3000),
  /** The API's listening address: loopback unless a deployment (compose, a container) says otherwise. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * Reverse proxies in front of the API whose X-Forwarded-For is believed. 0 (direct): behind a load
   * balancer every caller would share the balancer's address, and so one rate-limit bucket.
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().nonnegative().default(0),
  /**
   * Requests per minute per caller (user id, or client IP when unauthenticated), across all API replicas.
   * A dashboard tab polls a handful of endpoints every few seconds; 600 leaves an order of magnitude of room.
   */
  RATE_LIMIT_PER_MINUTE: positiveInt(600),
  /**
   * How long every replica reuses a center's dashboard summary (counts by worst risk, cars reporting and
   * messages refused in 24 h) from Redis instead of aggregating the center's predictions again: see
   * apps/api/src/dashboard/dashboard-summary.cache.ts for why this staleness is acceptable.
   */
  DASHBOARD_SUMMARY_TTL_SECONDS: positiveInt(10),
  /**
   * How long each API process reuses a center's call list page (GET /dashboard/attention, per query) before reading
   * it again; 0 reads it on every request. See apps/api/src/call-list/call-list-page.cache.ts for the staleness.
   */
  DASHBOARD_ATTENTION_TTL_SECONDS: z.coerce.number().int().nonnegative().default(2),
};

export const authShape = {
  /** Signs the API's tokens. No default: see secretProblem() and the README's Configuration section. */
  JWT_SECRET: z.string().optional(),
  JWT_TTL_SECONDS: positiveInt(12 * 3600),
  /** Failed logins before an account (or an IP) is refused without checking the password, per window. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt(10),
  /** Higher than per account: a garage or a carrier NAT puts many honest users behind one address. */
  LOGIN_MAX_FAILURES_PER_IP: positiveInt(50),
  LOGIN_LOCKOUT_WINDOW_SECONDS: positiveInt(900),
};

export const authRules: Rules<typeof coreShape & typeof authShape> = (env, context) => {
  const jwtProblem = secretProblem(env.JWT_SECRET, env.NODE_ENV);
  if (jwtProblem !== undefined) context.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: jwtProblem });
};

/** The API's HTTP listener, its tokens and its rate limits. */
export interface HttpConfig {
  readonly api: {
    readonly port: number;
    readonly host: string;
    readonly jwtSecret: string;
    readonly jwtTtlSeconds: number;
    readonly trustProxyHops: number;
    readonly dashboardSummaryTtlMs: number;
    /** 0: not cached. */
    readonly callListPageTtlMs: number;
  };
  readonly rateLimit: {
    readonly requestsPerMinute: number;
    readonly login: {
      readonly maxFailuresPerAccount: number;
      readonly maxFailuresPerIp: number;
      readonly windowSeconds: number;
    };
  };
}

export const httpOf = (e: Env<typeof httpShape & typeof authShape>): HttpConfig => ({
  api: {
    port: e.PORT,
    host: e.HOST,
    jwtSecret: e.JWT_SECRET || processLocalSecret(),
    jwtTtlSeconds: e.JWT_TTL_SECONDS,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    dashboardSummaryTtlMs: e.DASHBOARD_SUMMARY_TTL_SECONDS * 1000,
    callListPageTtlMs: e.DASHBOARD_ATTENTION_TTL_SECONDS * 1000,
  },
  rateLimit: {
    requestsPerMinute: e.RATE_LIMIT_PER_MINUTE,
    login: {
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds: e.LOGIN_LOCKOUT_WINDOW_SECONDS,
    },
  },
});
