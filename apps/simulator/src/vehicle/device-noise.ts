import type { TireMeasurement } from '#app/telemetry';
import type { SeededRandom } from './seeded-random.js';

/**
 * Error a device adds on top of the car's own sensor noise (a cheap dongle, a poor CAN tap). The
 * simulation calls it while building each sample, with the vehicle's noise stream, in a fixed order
 * (coolant, then fuel rate, then each wheel FL..RR), so a run with the same seed stays reproducible.
 * Without one the simulation draws nothing extra, so the live simulator's samples do not change.
 */
export interface DeviceNoise {
  coolantC(readingC: number, random: SeededRandom): number;
  fuelRateLph(readingLph: number, random: SeededRandom): number;
  tire(reading: TireMeasurement, random: SeededRandom): TireMeasurement;
}
