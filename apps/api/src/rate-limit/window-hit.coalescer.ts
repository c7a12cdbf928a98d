import type { WindowCounts } from './request-rate.policy.js';

/** Adds `hits` to one window's counter and answers the counts after them (null: not counted, the caller fails open). */
export type AddHits = (hits: number) => Promise<WindowCounts | null>;

type Waiter = (counts: WindowCounts | null) => void;

/**
 * One caller's concurrent requests counted in one Redis call instead of one each. A hit with no call in flight for
 * its counter goes out at once, as before (no added wait); hits that arrive while one is in flight wait for it and
 * then go out together as one increment by their number. Each still gets a count of its own, as if they had been
 * counted one after another in that call (the first `current - n + 1`, the last `current`), so the limit refuses
 * exactly the hits it refused before: the same counter, the same total, only fewer round trips.
 *
 * Why: every request paid a Redis round trip for its count (a script call, a socket write and read on the API and
 * in Redis, a timer for its timeout), and a caller with several requests in flight (a dashboard loading its tiles,
 * an integration reading cars in parallel) paid it once per request. Per process: replicas count through the same
 * Redis counter as before.
 */
export class WindowHitCoalescer {
  /** Per counter with a call in flight: the hits waiting for the next call. */
  private readonly waiting = new Map<string, Waiter[]>();

  hit(counter: string, add: AddHits): Promise<WindowCounts | null> {
    return new Promise((resolve) => {
      const queue = this.waiting.get(counter);
      if (queue !== undefined) {
        queue.push(resolve);
        return;
      }
      this.waiting.set(counter, []);
      void this.send(counter, add, [resolve]);
    });
  }

  private async send(counter: string, add: AddHits, hits: Waiter[]): Promise<void> {
    let counts: WindowCounts | null;
    try {
      counts = await add(hits.length);
    } catch {
      counts = null; // `add` fails open itself; this only keeps a bug there from leaving requests waiting forever
    }
    hits.forEach((resolve, i) => {
      resolve(counts === null ? null : { previous: counts.previous, current: counts.current - hits.length + 1 + i });
    });
    const next = this.waiting.get(counter) ?? [];
    if (next.length === 0) {
      this.waiting.delete(counter);
      return;
    }
    this.waiting.set(counter, []);
    await this.send(counter, add, next);
  }
}
