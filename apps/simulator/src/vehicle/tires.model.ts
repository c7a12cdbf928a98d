import type { TireMeasurement, WheelPosition } from '#app/telemetry';
import type { FaultEffects } from './fault.model.js';
import type { SeededRandom } from './seeded-random.js';
import { mapWheels, type VehicleProfile } from './vehicle-profile.js';

const ABSOLUTE_ZERO_OFFSET = 273.15;
const COLD_REFERENCE_C = 20;
/** Tyres run up to ~25 C above ambient after a while on the road. */
const WARM_UP_RISE_C = 25;
const TIRE_TAU_S = 900;
const MIN_PRESSURE_KPA = 60;

/** Tread wearing with distance and pressures following the tyres' temperature (gas law). */
export class TiresModel {
  private readonly treadMm: Record<WheelPosition, number>;
  private tireTempC: number;

  constructor(
    private readonly profile: VehicleProfile,
    private readonly random: SeededRandom,
    ambientC: number,
  ) {
    this.treadMm = { ...profile.startTreadMm };
    this.tireTempC = ambientC;
  }

  get trueTreadMm(): Readonly<Record<WheelPosition, number>> {
    return this.treadMm;
  }

  step(dtS: number, distanceKm: number, speedKph: number, ambientC: number, effects: FaultEffects): void {
    for (const wheel of ['FL', 'FR', 'RL', 'RR'] as const) {
      this.treadMm[wheel] = Math.max(0, this.treadMm[wheel] - distanceKm * this.profile.wearPerKmMm[wheel] * effects.wearFactor[wheel]);
    }
    const target = ambientC + (speedKph > 0 ? WARM_UP_RISE_C * Math.min(1, 0.3 + speedKph / 100) : 0);
    this.tireTempC = target + (this.tireTempC - target) * Math.exp(-dtS / TIRE_TAU_S);
  }

  reading(effects: FaultEffects): Record<WheelPosition, TireMeasurement> {
    const temperatureRatio = (ABSOLUTE_ZERO_OFFSET + this.tireTempC) / (ABSOLUTE_ZERO_OFFSET + COLD_REFERENCE_C);
    return mapWheels(this.profile.coldPressureKpa, (cold, wheel) => {
      // Gauge pressure scales roughly with absolute temperature; TPMS sensors add about 1 kPa of noise.
      const coldNow = Math.max(MIN_PRESSURE_KPA, Math.min(cold - effects.leakKpa[wheel], effects.puncturedKpa[wheel] ?? Infinity));
      const pressureKpa = (coldNow + 101) * temperatureRatio - 101 + this.random.normal(0, 1);
      return { treadMm: round(this.treadMm[wheel], 2), pressureKpa: round(pressureKpa, 1) };
    });
  }
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));
