import type { SeededRandom } from './seeded-random.js';
import type { TripKind } from './trip-planner.js';

// Acceleration limits of an ordinary petrol hatchback driven normally, in km/h per second.
const MAX_ACCEL_KPH_PER_S = 8;
const MAX_BRAKE_KPH_PER_S = 11;

interface Segment {
  targetKph: number;
  remainingS: number;
}

/**
 * The speed profile of one trip: a chain of segments (cruise at a target, or stand still at a light or
 * in a queue) that the car follows within its acceleration limits. City trips stop every few hundred
 * metres, highway trips leave town after a few minutes and cruise at 95-130 km/h, idle trips mostly
 * stand with the engine running (waiting, deliveries).
 */
export class DriveCycle {
  private speedKph = 0;
  private elapsedS = 0;
  private segment: Segment = { targetKph: 0, remainingS: 3 };

  constructor(
    private readonly kind: TripKind,
    private readonly durationS: number,
    private readonly random: SeededRandom,
  ) {}

  get currentSpeedKph(): number {
    return this.speedKph;
  }

  /** True once the planned time is over and the car has come to a stop. */
  get finished(): boolean {
    return this.elapsedS >= this.durationS && this.speedKph === 0;
  }

  /** Advances by `dtS` (at most a second or so) and returns the acceleration in km/h per second. */
  step(dtS: number): number {
    this.elapsedS += dtS;
    this.segment.remainingS -= dtS;
    if (this.elapsedS >= this.durationS) this.segment = { targetKph: 0, remainingS: Infinity };
    else if (this.segment.remainingS <= 0) this.segment = this.nextSegment();

    const jitter = this.segment.targetKph > 0 ? this.random.normal(0, 0.6) : 0;
    const wanted = Math.max(0, this.segment.targetKph + jitter);
    const delta = wanted - this.speedKph;
    const limited = Math.max(-MAX_BRAKE_KPH_PER_S * dtS, Math.min(MAX_ACCEL_KPH_PER_S * dtS * this.accelScale(), delta));
    const before = this.speedKph;
    this.speedKph = Math.max(0, before + limited);
    if (this.segment.targetKph === 0 && this.speedKph < 0.5) this.speedKph = 0;
    return dtS > 0 ? (this.speedKph - before) / dtS : 0;
  }

  // Acceleration fades at speed (less power reserve), so reaching 120 km/h takes a realistic while.
  private accelScale(): number {
    return this.speedKph < 50 ? 1 : Math.max(0.25, 1 - (this.speedKph - 50) / 100);
  }

  private nextSegment(): Segment {
    const random = this.random;
    const fraction = this.elapsedS / this.durationS;
    const stopped = this.speedKph < 1;
    switch (this.kind) {
      case 'city':
        if (!stopped && random.chance(0.45)) return { targetKph: 0, remainingS: random.uniform(8, 45) };
        return { targetKph: random.pick([30, 40, 50, 50, 60]) + random.normal(0, 3), remainingS: random.uniform(15, 70) };
      case 'highway':
        if (fraction < 0.12 || fraction > 0.9) {
          if (!stopped && random.chance(0.35)) return { targetKph: 0, remainingS: random.uniform(8, 35) };
          return { targetKph: random.uniform(35, 60), remainingS: random.uniform(20, 60) };
        }
        return { targetKph: random.uniform(95, 130), remainingS: random.uniform(60, 300) };
      case 'idle':
        if (random.chance(0.8)) return { targetKph: 0, remainingS: random.uniform(60, 300) };
        return { targetKph: random.uniform(10, 30), remainingS: random.uniform(10, 40) };
    }
  }
}
