import type { SeededRandom } from './seeded-random.js';

export interface CoolantInputs {
  dtS: number;
  engineRunning: boolean;
  speedKph: number;
  engineLoadPct: number;
  ambientC: number;
  setPointC: number;
  thermostatStuckOpen: boolean;
  /** Chance of an overheat spike, per driving hour (0 on a healthy car: no random draw at all). */
  spikesPerHour?: number;
}

interface Spike {
  peakC: number;
  remainingS: number;
}

// Warm-up time constant at moderate load; idle heats the block much more slowly.
const WARM_UP_TAU_S = 300;
const IDLE_WARM_UP_FACTOR = 2.2;
// Engine off: the block cools towards ambient over hours.
const COOL_DOWN_TAU_S = 3600;
// Fan cycling in slow traffic: creeps up to set-point + 5, the fan pulls it back to + 1.
const FAN_ON_ABOVE_C = 5;
const FAN_OFF_BELOW_C = 1;
/**
 * With the thermostat stuck open all coolant goes through the radiator, so the engine settles well
 * below the set-point, lower the faster the car goes. Real cases sit at 60-75 C; the bypass cannot
 * reach the set-point, so we cap the equilibrium there.
 */
const STUCK_OPEN_CEILING_C = 76;

/**
 * Engine coolant temperature: a first-order approach from ambient to the thermostat set-point while
 * running, thermostat regulation once warm, radiator fan cycling in slow traffic, and exponential
 * cooling when parked.
 */
export class CoolantModel {
  private fanOn = false;
  private spike: Spike | null = null;

  constructor(
    private temperatureC: number,
    private readonly random: SeededRandom,
  ) {}

  get trueTemperatureC(): number {
    return this.temperatureC;
  }

  /** What the sensor reports: the true value plus a little measurement noise (from the caller's stream). */
  reading(noise: SeededRandom): number {
    return this.temperatureC + noise.normal(0, 0.25);
  }

  step(input: CoolantInputs): void {
    const { dtS } = input;
    if (!input.engineRunning) {
      this.fanOn = false;
      this.temperatureC = input.ambientC + (this.temperatureC - input.ambientC) * Math.exp(-dtS / COOL_DOWN_TAU_S);
      return;
    }
    const heat = 0.55 + input.engineLoadPct / 100;
    const idle = input.speedKph < 3;
    const tau = (WARM_UP_TAU_S * (idle ? IDLE_WARM_UP_FACTOR : 1)) / heat;

    if (input.thermostatStuckOpen) {
      const equilibrium = Math.min(
        STUCK_OPEN_CEILING_C,
        input.ambientC + 44 + 10 * (input.engineLoadPct / 100) - 0.11 * Math.min(input.speedKph, 110),
      );
      this.approach(equilibrium, tau * 1.4, dtS);
      return;
    }

    const setPoint = input.setPointC;
    if (this.stepSpike(input)) return;
    if (this.temperatureC < setPoint - 1) {
      // Thermostat closed: heat the block towards a point past the set-point, so it actually gets there.
      this.approach(setPoint + 12, tau, dtS);
      this.temperatureC = Math.min(this.temperatureC, setPoint);
      return;
    }
    if (input.speedKph < 25) {
      if (this.temperatureC >= setPoint + FAN_ON_ABOVE_C) this.fanOn = true;
      if (this.temperatureC <= setPoint + FAN_OFF_BELOW_C) this.fanOn = false;
      this.temperatureC += (this.fanOn ? -0.06 : 0.02 + 0.03 * (input.engineLoadPct / 100)) * dtS;
    } else {
      this.fanOn = false;
      this.approach(setPoint + this.random.normal(0, 0.2), 45, dtS);
    }
    this.temperatureC += this.random.normal(0, 0.02) * Math.sqrt(dtS);
  }

  /**
   * A fan that sometimes fails to start: a warm engine climbs to 105-109.5 C for one to three minutes,
   * then the fan catches up and the usual regulation pulls it back. Draws from the stream only when the
   * fault is active, so healthy cars' readings do not change with this feature.
   */
  private stepSpike(input: CoolantInputs): boolean {
    const rate = input.spikesPerHour ?? 0;
    if (this.spike === null && rate > 0 && this.temperatureC >= input.setPointC - 2 && this.random.chance(1 - Math.exp((-rate * input.dtS) / 3600))) {
      this.spike = { peakC: this.random.uniform(105.5, 109.5), remainingS: this.random.uniform(60, 180) };
    }
    if (this.spike === null) return false;
    this.approach(this.spike.peakC + 4, 40, input.dtS);
    this.temperatureC = Math.min(this.temperatureC, this.spike.peakC);
    this.spike.remainingS -= input.dtS;
    if (this.spike.remainingS <= 0) {
      this.spike = null;
      this.fanOn = true;
    }
    return true;
  }

  private approach(targetC: number, tauS: number, dtS: number): void {
    this.temperatureC = targetC + (this.temperatureC - targetC) * Math.exp(-dtS / tauS);
  }
}
