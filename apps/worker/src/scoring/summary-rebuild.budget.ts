/**
 * A token bucket for full rebuilds of model summaries: `perSecond` on average, bursts of one second's
 * worth. A few lines of our own rather than a library: it guards one in-process decision per job, and a
 * limiter shared through Redis (BullMQ's) would throttle every score, not only the expensive ones.
 */
export class SummaryRebuildBudget {
  private tokens: number;
  private refilledAt = 0;

  constructor(private readonly perSecond: number) {
    this.tokens = Math.max(1, perSecond);
  }

  tryTake(nowMs: number): boolean {
    const capacity = Math.max(1, this.perSecond);
    this.tokens = Math.min(capacity, this.tokens + ((nowMs - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
