import type { WheelPosition } from '#app/telemetry';
import { SeededRandom } from './seeded-random.js';

/** The fixed character of one virtual car, drawn once from its seed. */
export interface VehicleProfile {
  /** Healthy thermostat regulation point. */
  thermostatSetPointC: number;
  /** Mean ambient temperature where the car lives; a daily swing is added on top. */
  climateMeanC: number;
  /** Local time = UTC + this, for plausible trip hours. */
  utcOffsetHours: number;
  startOdometerKm: number;
  startTreadMm: Record<WheelPosition, number>;
  /** Per-wheel wear relative to the nominal ~1 mm per 10,000 km (fronts wear faster on a FWD car). */
  wearPerKmMm: Record<WheelPosition, number>;
  coldPressureKpa: Record<WheelPosition, number>;
  idleRpm: number;
  /** Share of highway trips in the driver's habits. */
  highwayShare: number;
  commuter: boolean;
}

const NOMINAL_WEAR_MM_PER_KM = 1 / 10_000;

export function drawVehicleProfile(random: SeededRandom): VehicleProfile {
  const tread = random.uniform(5.5, 8);
  const pressure = random.pick([220, 230, 240, 250]);
  const wheel = (front: boolean) => ({
    tread: tread + random.normal(0, 0.15),
    wear: NOMINAL_WEAR_MM_PER_KM * (front ? 1.15 : 0.85) * random.uniform(0.92, 1.08),
    pressure: pressure + (front ? 0 : 10) + random.normal(0, 3),
  });
  const wheels = { FL: wheel(true), FR: wheel(true), RL: wheel(false), RR: wheel(false) };
  return {
    thermostatSetPointC: random.normal(90, 0.8),
    climateMeanC: random.uniform(8, 20),
    utcOffsetHours: 1,
    startOdometerKm: Math.round(random.uniform(5_000, 120_000)),
    startTreadMm: mapWheels(wheels, (w) => w.tread),
    wearPerKmMm: mapWheels(wheels, (w) => w.wear),
    coldPressureKpa: mapWheels(wheels, (w) => w.pressure),
    idleRpm: random.uniform(720, 820),
    highwayShare: random.uniform(0.1, 0.45),
    commuter: random.chance(0.7),
  };
}

export function mapWheels<T, U>(wheels: Record<WheelPosition, T>, map: (value: T, wheel: WheelPosition) => U): Record<WheelPosition, U> {
  return { FL: map(wheels.FL, 'FL'), FR: map(wheels.FR, 'FR'), RL: map(wheels.RL, 'RL'), RR: map(wheels.RR, 'RR') };
}
