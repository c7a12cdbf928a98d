import type { TelemetrySample, WheelPosition } from '#app/telemetry';
import type { FaultSpec } from '../../vehicle/fault.model.js';
import { mapWheels, type VehicleProfile } from '../../vehicle/vehicle-profile.js';
import { VehicleSimulation } from '../../vehicle/vehicle-simulation.js';
import { dongleNoise } from './dongle-noise.js';
import { tripSourceFor, type UsageKind } from './usage.js';

export interface EvaluatedVehicleOptions {
  vin: string;
  seed: number | string;
  epoch: Date;
  usage: UsageKind;
  faults: readonly FaultSpec[];
  /** Part-worn tyres, so that a wear fault reaches its limit within the evaluated period. */
  startTreadMm?: number;
  /** Extra sensor noise on top of the simulator's own: 0 (clean) .. 1 (a poor dongle). */
  noiseLevel: number;
}

/** What the car really is at an instant: the ground truth the metrics compare forecasts with. */
export interface VehicleTruth {
  odometerKm: number;
  treadMm: Record<WheelPosition, number>;
  /** Current wear per km including faults, so km to a tread limit is exact: (tread - limit) / rate. */
  wearPerKmMm: Record<WheelPosition, number>;
  coldPressureKpa: Record<WheelPosition, number>;
  setPointC: number;
  fuelFactor: number;
  thermostatStuckOpen: boolean;
}

/** The profile a vehicle will have (before any tread override), so a fleet plan can size its faults. */
export function drawEvaluatedProfile(seed: number | string, vin: string): VehicleProfile {
  return VehicleSimulation.profileFor(seed, vin);
}

/**
 * One evaluated car: the live simulator's VehicleSimulation with the evaluation's usage pattern, part-worn
 * tyres and a noisier dongle, plus the ground truth the simulator keeps to itself.
 */
export class EvaluatedVehicle {
  private readonly sim: VehicleSimulation;

  constructor(options: EvaluatedVehicleOptions) {
    this.sim = new VehicleSimulation({
      vin: options.vin,
      seed: options.seed,
      epoch: options.epoch,
      faults: options.faults,
      trips: (profile, random) => tripSourceFor(options.usage, profile, random),
      deviceNoise: dongleNoise(options.noiseLevel),
      ...(options.startTreadMm === undefined
        ? {}
        : { startTreadMm: partWornTread(drawEvaluatedProfile(options.seed, options.vin), options.startTreadMm) }),
    });
  }

  get profile(): VehicleProfile {
    return this.sim.profile;
  }

  get truth(): VehicleTruth {
    const { profile } = this.sim;
    const effects = this.sim.faultEffects;
    const truth = this.sim.truth;
    return {
      odometerKm: truth.odometerKm,
      treadMm: mapWheels(profile.startTreadMm, (_, wheel) => truth.treadMm[wheel]),
      wearPerKmMm: mapWheels(profile.wearPerKmMm, (rate, wheel) => rate * effects.wearFactor[wheel]),
      coldPressureKpa: mapWheels(profile.coldPressureKpa, (kpa, wheel) => kpa - effects.leakKpa[wheel]),
      setPointC: profile.thermostatSetPointC + effects.setPointShiftC,
      fuelFactor: effects.fuelFactor,
      thermostatStuckOpen: effects.thermostatStuckOpen,
    };
  }

  /**
   * What the device uploads from now until `untilMs`: a sample every `driveIntervalMs` while the engine
   * runs, every `parkedIntervalMs` while parked, and one at the start of each trip. Calls are expected
   * to end on the drive grid (day ends), as the simulator's report grid counts from the last report.
   */
  samplesUntil(untilMs: number, driveIntervalMs: number, parkedIntervalMs: number): TelemetrySample[] {
    const samples: TelemetrySample[] = [];
    const next = (afterMs: number) => this.sim.nextReportTime(afterMs, driveIntervalMs, parkedIntervalMs);
    for (let t = next(this.sim.currentTimeMs); t < untilMs; t = next(t)) samples.push(this.sim.sampleAt(new Date(t)));
    this.sim.runUntil(new Date(untilMs));
    return samples;
  }
}

/** Worn to `treadMm` at the front left; the other wheels keep a damped share of their drawn difference. */
function partWornTread(drawn: VehicleProfile, treadMm: number): Record<WheelPosition, number> {
  return mapWheels(drawn.startTreadMm, (mm) => treadMm + (mm - drawn.startTreadMm.FL) * 0.3);
}
