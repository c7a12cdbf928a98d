import type { DeviceNoise } from '../../vehicle/device-noise.js';

/**
 * A poorer dongle than the simulator's default: extra coolant, fuel-rate and TPMS error scaled by
 * `level` (0 clean .. 1 poor). It draws even at level 0, so a fleet's random streams do not depend on
 * how noisy each car was planned to be.
 */
export function dongleNoise(level: number): DeviceNoise {
  return {
    coolantC: (readingC, random) => readingC + random.normal(0, 0.8 * level),
    fuelRateLph: (readingLph, random) => Math.max(0, readingLph * (1 + random.normal(0, 0.05 * level))),
    tire: (reading, random) => ({
      treadMm: (reading.treadMm ?? 0) + random.normal(0, 0.1 * level),
      pressureKpa: (reading.pressureKpa ?? 0) + random.normal(0, 2 * level),
    }),
  };
}
