// A device whose clock runs ahead would have every sample refused as CLOCK_IN_FUTURE and its car go
// silently unmonitored. The offset is estimated from what the platform sees anyway: the newest sample
// time of each message against the time it was received. Pure and in memory: O(window) per message.

/** How the device's clock is corrected while parsing a message. */
export interface DeviceClockCorrection {
  /** Milliseconds the device clock is ahead: subtracted from every ts before it is checked and stored. */
  offsetMs: number;
  /** Called with every readable ts as sent (before correction, refused or not), to estimate the offset. */
  observe?: (tsMs: number) => void;
}

export interface DeviceClockOptions {
  /** Messages the estimate looks back on. */
  window: number;
  /** Messages needed before an estimate is trusted. */
  minMessages: number;
  /** The interquartile range of the window must be at most this: a stable offset, not a jittery one. */
  maxSpreadMs: number;
  /** Offsets below this are left alone (network latency, small drift within the contract's 5 minutes). */
  minOffsetMs: number;
  /**
   * The most a provisional correction (heldOffsetFor, before the estimate settles) may be: a clock in the
   * wrong time zone or a day off. A message further ahead waits for the settled estimate or is refused.
   */
  maxHeldOffsetMs: number;
}

export const DEFAULT_DEVICE_CLOCK_OPTIONS: Readonly<DeviceClockOptions> = Object.freeze({
  window: 15,
  minMessages: 5,
  maxSpreadMs: 60_000,
  minOffsetMs: 60_000,
  maxHeldOffsetMs: 86_400_000,
});

interface DeviceClock {
  offsets: number[];
  next: number;
  seen: number;
  /** The correction in force (ms the device clock is ahead), 0 for none. */
  appliedMs: number;
}

/**
 * Only clocks running ahead are corrected: a sample cannot come from the future, so a steady positive
 * offset is certainly the clock. A clock running behind cannot be told apart from a device sending its
 * offline buffer, so old-looking samples are stored as sent (and still refused past 365 days).
 */
export class DeviceClockEstimator {
  private readonly devices = new Map<string, DeviceClock>();
  private readonly options: DeviceClockOptions;

  constructor(options: Partial<DeviceClockOptions> = {}) {
    this.options = { ...DEFAULT_DEVICE_CLOCK_OPTIONS, ...options };
  }

  /** Records one message: `offsetMs` = its newest sample time minus its receive time. */
  observe(device: string, offsetMs: number): void {
    let clock = this.devices.get(device);
    if (clock === undefined) {
      clock = { offsets: [], next: 0, seen: 0, appliedMs: 0 };
      this.devices.set(device, clock);
    }
    if (clock.offsets.length < this.options.window) clock.offsets.push(offsetMs);
    else clock.offsets[clock.next] = offsetMs;
    clock.next = (clock.next + 1) % this.options.window;
    clock.seen++;
    if (clock.offsets.length < this.options.minMessages) return;
    const sorted = [...clock.offsets].sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))] ?? 0;
    // Unstable (a clock being set, a backlog arriving): keep whatever correction was in force.
    if (at(0.75) - at(0.25) > this.options.maxSpreadMs) return;
    const median = at(0.5);
    // Whole seconds: the estimate is no finer than the network latency it contains.
    clock.appliedMs = median >= this.options.minOffsetMs ? Math.round(median / 1000) * 1000 : 0;
  }

  /** Milliseconds to subtract from this device's sample times (0: none). */
  offsetFor(device: string): number {
    return this.devices.get(device)?.appliedMs ?? 0;
  }

  /**
   * The correction for messages that were held for the estimate and can wait no longer (the ingestion
   * hold is bounded in time): the settled estimate once there is one. Before that, the messages seen so
   * far, if every one of them was ahead by at least `minOffsetMs` (and at most `maxHeldOffsetMs`) and they
   * agree within `maxSpreadMs`.
   * Why that is safe with a single message: a sample cannot be stamped later than it was received by a
   * right clock, and each message's offset is a lower bound of the clock's lead (its newest sample was
   * taken before it arrived), so the correction never moves a sample before the time it was taken; the
   * newest lands within a second after its receive time (whole seconds, rounded down). Without it a parked device (one message every 30 minutes) with a
   * fast clock lost its first five samples, two and a half hours, while the estimate settled.
   */
  heldOffsetFor(device: string): number {
    const clock = this.devices.get(device);
    if (clock === undefined) return 0;
    if (clock.offsets.length >= this.options.minMessages) return clock.appliedMs;
    const sorted = [...clock.offsets].sort((a, b) => a - b);
    const lowest = sorted[0] ?? 0;
    const highest = sorted[sorted.length - 1] ?? 0;
    if (lowest < this.options.minOffsetMs || highest - lowest > this.options.maxSpreadMs || highest > this.options.maxHeldOffsetMs) return 0;
    // The highest lower bound is the tightest; whole seconds down, so it stays a lower bound.
    return Math.floor(highest / 1000) * 1000;
  }

  /** True once enough messages were seen to decide (either way). */
  settled(device: string): boolean {
    return (this.devices.get(device)?.offsets.length ?? 0) >= this.options.minMessages;
  }
}
