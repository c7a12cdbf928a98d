import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';

/** Bounds the map: a center asks a handful of (risk, view, limit) pages; this leaves room for thousands of centers. */
const MAX_PAGES = 20_000;

interface CachedPage {
  text: string;
  expiresAt: number;
}

/**
 * The dashboard's call list pages (GET /dashboard/attention) as JSON text, per service center and query, reused by
 * this API process for `api.callListPageTtlMs` (DASHBOARD_ATTENTION_TTL_SECONDS, 2 s). Every open dashboard of a
 * center asks the same page (the same answer for each of its staff: it depends on the center, the query and the
 * clock only), and building it (one statement, ~90 KB of JSON parsed and serialised again) cost the API ~10 ms of CPU
 * a request: under 32 concurrent requests the page's p95 was ~250 ms at 10,000 cars, 5x the 50 ms goal. A hit costs
 * the send of the text. Concurrent misses of a page share one computation.
 *
 * Keyed by the center (the tenant: a staff member's scope is their center, enforced by the caller) and the whole
 * validated query, so no page crosses centers and no query answers another's.
 *
 * How stale: at most the TTL. A call recorded on this process clears the center's pages at once (the dashboard
 * draws the list again right after, and the car must move); one recorded on another replica, a worker's new score
 * changing a car's worst risk and a hold running out show within the TTL. Predictions change at the worker's
 * scoring cadence (minutes), so 2 s more is below what the list resolves.
 *
 * Per process, not in Redis as the summary: a page is ~90 KB, and fetching it from Redis on every request would
 * cost the transfer and a copy; each replica computes a page once per TTL, which is nothing next to the requests
 * it saves. Hand-written (a Map with an expiry and a pending promise) rather than lru-cache, which would do it with
 * `fetch()`: it is not among this project's dependencies and this needs only get-or-compute and a clear per center.
 */
@Injectable()
export class CallListPageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly computing = new Map<string, Promise<string>>();
  /** Bumped by invalidate(): a computation started before it is answered to its callers but not stored. */
  private readonly generations = new Map<string, number>();
  private readonly ttlMs: number;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.ttlMs = config.api.callListPageTtlMs;
  }

  /** The page of the center for `queryKey` (the validated query, canonical), cached or `compute()`d. */
  async get(serviceCenterId: string, queryKey: string, compute: () => Promise<string>, now: () => number = Date.now): Promise<string> {
    if (this.ttlMs === 0) return compute();
    const key = `${serviceCenterId} ${queryKey}`;
    const cached = this.pages.get(key);
    if (cached !== undefined && cached.expiresAt > now()) return cached.text;
    const pending = this.computing.get(key);
    if (pending !== undefined) return pending;
    const generation = this.generations.get(serviceCenterId) ?? 0;
    // The TTL counts from before the computation: an entry is never older than that since its data was read.
    const startedAt = now();
    const computation = compute()
      .then((text) => {
        if ((this.generations.get(serviceCenterId) ?? 0) === generation) this.store(key, { text, expiresAt: startedAt + this.ttlMs }, now());
        return text;
      })
      .finally(() => {
        if (this.computing.get(key) === computation) this.computing.delete(key);
      });
    this.computing.set(key, computation);
    return computation;
  }

  /** After a change this process made to the center's list (a call recorded): its next request reads it again. */
  invalidate(serviceCenterId: string): void {
    this.generations.set(serviceCenterId, (this.generations.get(serviceCenterId) ?? 0) + 1);
    const prefix = `${serviceCenterId} `;
    for (const key of this.pages.keys()) if (key.startsWith(prefix)) this.pages.delete(key);
    for (const key of this.computing.keys()) if (key.startsWith(prefix)) this.computing.delete(key);
  }

  private store(key: string, page: CachedPage, now: number): void {
    if (this.pages.size >= MAX_PAGES) {
      for (const [k, entry] of this.pages) if (entry.expiresAt <= now) this.pages.delete(k);
      // Everything fresh (that many centers within one TTL): start over, costing a recomputation, never a stale page.
      if (this.pages.size >= MAX_PAGES) this.pages.clear();
    }
    this.pages.set(key, page);
  }
}
