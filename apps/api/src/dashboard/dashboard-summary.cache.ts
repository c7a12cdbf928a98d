import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { throttledLog } from '#app/observability';
import type { RedisClient } from '#app/queue';
import { RedisClientService } from '../common/redis-client.service.js';
import { withTimeout } from '../common/with-timeout.js';
import type { DashboardSummaryView } from './dashboard.model.js';

/** A cache that makes the tiles wait on a struggling Redis would cost more than the aggregation it saves. */
const COMMAND_TIMEOUT_MS = 250;
const WARNING_INTERVAL_MS = 30_000;

/**
 * Each center's dashboard summary, computed at most once per `api.dashboardSummaryTtlMs` (10 s) across all API
 * replicas and shared through Redis. Counting a center's cars by their worst risk aggregates all its predictions
 * (60,000 rows at 10,000 cars, O(cars) whatever the index), and every open dashboard asks for it on each load.
 *
 * Why a short expiring cache and not a worst-risk column kept by the worker: the summary is the only reader,
 * the worker already writes predictions in a hot transaction that a second table or column would widen, and
 * the other two tiles (cars reporting, messages refused in 24 h) would need counters of their own.
 *
 * Why the staleness is acceptable: the tiles are counts over windows of 24 h and over predictions the worker
 * refreshes every few minutes (SCORING_INTERVAL_MS, 10 min by default), so 10 s more is below what they
 * resolve; the answer's `generatedAt` is when it was computed, so a client sees its age. What staff act on,
 * the attention list and a car's health, is not cached. No invalidation: an entry simply expires.
 *
 * Refreshed ahead of expiry: an entry past half its TTL is still answered, and one replica (the one that takes a
 * short Redis lock) computes the next one meanwhile, so under steady use no request waits for the aggregation and
 * the answer stays at most one TTL old. Only the first request after a quiet TTL computes while it waits; concurrent
 * misses of a center in one replica share that computation (under load, without it, every request arriving during
 * an expiry ran its own aggregation).
 *
 * Fails open: while Redis does not answer within COMMAND_TIMEOUT_MS the summary is computed per request, as
 * before, with one warning per WARNING_INTERVAL_MS.
 */
@Injectable()
export class DashboardSummaryCache {
  private readonly logger = new Logger(DashboardSummaryCache.name);
  private readonly warn = throttledLog((line) => this.logger.warn(line), WARNING_INTERVAL_MS);
  private readonly client: RedisClient;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly computing = new Map<string, Promise<DashboardSummaryView>>();

  constructor(redis: RedisClientService, @Inject(APP_CONFIG) config: AppConfig) {
    this.client = redis.client;
    this.prefix = `${config.queuePrefix}:dashboard-summary`;
    this.ttlMs = config.api.dashboardSummaryTtlMs;
  }

  /** The center's summary from the cache, or `compute()`'s, stored for the next ones. */
  async get(serviceCenterId: string, compute: () => Promise<DashboardSummaryView>): Promise<DashboardSummaryView> {
    const key = `${this.prefix}:${serviceCenterId}`;
    const cached = await this.read(key);
    if (cached === null) return this.computeOnce(key, compute);
    // Not awaited: this answer is within its TTL; the refresh only has to be ready before the TTL ends.
    if (Date.now() - Date.parse(cached.generatedAt) >= this.ttlMs / 2) void this.refreshAhead(key, compute);
    return cached;
  }

  private computeOnce(key: string, compute: () => Promise<DashboardSummaryView>): Promise<DashboardSummaryView> {
    const pending = this.computing.get(key);
    if (pending !== undefined) return pending;
    const computation = compute()
      .then(async (summary) => {
        await this.write(key, summary);
        return summary;
      })
      .finally(() => this.computing.delete(key));
    this.computing.set(key, computation);
    return computation;
  }

  /** Never rejects: a failed refresh leaves the entry to expire, and the next request computes it. */
  private async refreshAhead(key: string, compute: () => Promise<DashboardSummaryView>): Promise<void> {
    if (this.computing.has(key)) return;
    try {
      const lock = this.client.set(`${key}:refresh`, '1', 'PX', Math.ceil(this.ttlMs / 2), 'NX');
      if ((await withTimeout(lock, COMMAND_TIMEOUT_MS, 'Redis SET NX of the dashboard summary refresh')) !== 'OK') return;
      await this.computeOnce(key, compute);
    } catch (error) {
      this.warn(`dashboard summary refresh failed, the entry expires and is computed again: ${String(error)}`);
    }
  }

  private async read(key: string): Promise<DashboardSummaryView | null> {
    try {
      const text = await withTimeout(this.client.get(key), COMMAND_TIMEOUT_MS, 'Redis GET of the dashboard summary');
      // Written by write() below from the same type.
      return text === null ? null : (JSON.parse(text) as DashboardSummaryView);
    } catch (error) {
      this.warn(`dashboard summary cache unavailable, computing per request: ${String(error)}`);
      return null;
    }
  }

  private async write(key: string, summary: DashboardSummaryView): Promise<void> {
    try {
      // Its age counts from when the computation started (generatedAt), not from now: never served older than the TTL.
      const ttlLeftMs = Math.max(1, this.ttlMs - (Date.now() - Date.parse(summary.generatedAt)));
      await withTimeout(this.client.set(key, JSON.stringify(summary), 'PX', ttlLeftMs), COMMAND_TIMEOUT_MS, 'Redis SET of the dashboard summary');
    } catch (error) {
      this.warn(`dashboard summary cache unavailable, computing per request: ${String(error)}`);
    }
  }
}
