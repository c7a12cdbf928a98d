export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Global message-rate cap. A small burst (a twentieth of a second's worth) keeps the output smooth
 * rather than a second's worth of messages at once followed by silence.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly capacity: number;

  constructor(
    private readonly ratePerS: number,
    private readonly clock: Clock = systemClock,
    burst = Math.max(1, ratePerS / 20),
  ) {
    this.capacity = burst;
    this.tokens = burst;
    this.updatedAt = clock.now();
  }

  /** Takes one token, waiting for it if the bucket is empty. */
  async take(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(((1 - this.tokens) / this.ratePerS) * 1000);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerS);
    this.updatedAt = now;
  }
}
