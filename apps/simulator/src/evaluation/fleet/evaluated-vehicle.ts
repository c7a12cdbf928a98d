import type { TelemetrySample, TirePosition } from '#app/telemetry';
import { batteryVoltage } from '../../vehicle/battery.model.js';
import { CoolantModel } from '../../vehicle/coolant.model.js';
import { DriveCycle } from '../../vehicle/drive-cycle.js';
import { faultEffects, type FaultEffects, type FaultSpec } from '../../vehicle/fault.model.js';
import { powertrainState, type PowertrainState } from '../../vehicle/powertrain.js';
import { SeededRandom } from '../../vehicle/seeded-random.js';
import { TiresModel } from '../../vehicle/tires.model.js';
import type { PlannedTrip } from '../../vehicle/trip-planner.js';
import { drawVehicleProfile, mapWheels, type VehicleProfile } from '../../vehicle/vehicle-profile.js';
import { tripSourceFor, type TripSource, type UsageKind } from './usage.js';

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
  treadMm: Record<TirePosition, number>;
  /** Current wear per km including faults, so km to a tread limit is exact: (tread - limit) / rate. */
  wearPerKmMm: Record<TirePosition, number>;
  coldPressureKpa: Record<TirePosition, number>;
  setPointC: number;
  fuelFactor: number;
  thermostatStuckOpen: boolean;
}

const HOUR_MS = 3_600_000;
const DRIVE_STEP_MS = 1000;
const PARKED_STEP_MS = 15 * 60_000;
const TIRE_REPORT_EVERY_MS = 60_000;
const P0128_AFTER_MS = 15 * 60_000;
const P0128_BELOW_C = 75;
const P0217_ABOVE_C = 110;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

const vehicleRandom = (seed: number | string, vin: string): SeededRandom => new SeededRandom(`${seed}:${vin}`);

/** The profile a vehicle will have (before any tread override), so a fleet plan can size its faults. */
export function drawEvaluatedProfile(seed: number | string, vin: string): VehicleProfile {
  return drawVehicleProfile(vehicleRandom(seed, vin).fork('profile'));
}

/**
 * One evaluated car. The physics are the simulator's own parts (drive cycle, powertrain, coolant,
 * tyres, battery, faults) stepped exactly as VehicleSimulation steps them; this class exists only because
 * VehicleSimulation has no hook for a usage pattern (taxi shifts, low mileage) or part-worn tyres.
 * When the simulator grows those options, the harness should drive VehicleSimulation directly.
 */
export class EvaluatedVehicle {
  readonly profile: VehicleProfile;
  private readonly epochMs: number;
  private readonly faults: readonly FaultSpec[];
  private readonly trips: TripSource;
  private readonly tripRandom: SeededRandom;
  private readonly noise: SeededRandom;
  private readonly noiseLevel: number;
  private readonly coolant: CoolantModel;
  private readonly tires: TiresModel;
  private timeMs: number;
  private odometerKm: number;
  private trip: { cycle: DriveCycle; startMs: number; dtcs: Set<string> } | undefined;
  private lastStopMs: number;
  private lastTireReportMs = -Infinity;
  private powertrain: PowertrainState | undefined;

  constructor(options: EvaluatedVehicleOptions) {
    const root = vehicleRandom(options.seed, options.vin);
    const drawn = drawVehicleProfile(root.fork('profile'));
    const tread = options.startTreadMm;
    this.profile = tread === undefined ? drawn : { ...drawn, startTreadMm: mapWheels(drawn.startTreadMm, (mm) => tread + (mm - drawn.startTreadMm.FL) * 0.3) };
    this.epochMs = options.epoch.getTime();
    this.faults = options.faults;
    this.trips = tripSourceFor(options.usage, this.profile, root.fork('trips'));
    this.tripRandom = root.fork('drive');
    this.noise = root.fork('noise');
    this.noiseLevel = options.noiseLevel;
    this.timeMs = this.epochMs;
    this.odometerKm = this.profile.startOdometerKm;
    this.lastStopMs = this.epochMs - 6 * HOUR_MS;
    const ambient = this.ambientC(this.epochMs);
    this.coolant = new CoolantModel(ambient, root.fork('coolant'));
    this.tires = new TiresModel(this.profile, root.fork('tires'), ambient);
  }

  get truth(): VehicleTruth {
    const effects = this.effects();
    return {
      odometerKm: this.odometerKm,
      treadMm: { ...this.tires.trueTreadMm },
      wearPerKmMm: mapWheels(this.profile.wearPerKmMm, (rate, wheel) => rate * effects.wearFactor[wheel]),
      coldPressureKpa: mapWheels(this.profile.coldPressureKpa, (kpa, wheel) => kpa - effects.leakKpa[wheel]),
      setPointC: this.profile.thermostatSetPointC + effects.setPointShiftC,
      fuelFactor: effects.fuelFactor,
      thermostatStuckOpen: effects.thermostatStuckOpen,
    };
  }

  /**
   * What the device uploads from now until `untilMs`: a sample every `driveIntervalMs` while the engine
   * runs, every `parkedIntervalMs` while parked, and one at the start of each trip.
   */
  samplesUntil(untilMs: number, driveIntervalMs: number, parkedIntervalMs: number): TelemetrySample[] {
    const samples: TelemetrySample[] = [];
    for (let t = this.nextReportTime(this.timeMs, driveIntervalMs, parkedIntervalMs); t < untilMs; t = this.nextReportTime(t, driveIntervalMs, parkedIntervalMs)) {
      this.advanceTo(t);
      samples.push(this.reading(t));
    }
    this.advanceTo(untilMs);
    return samples;
  }

  private nextReportTime(afterMs: number, intervalMs: number, parkedIntervalMs: number): number {
    const onGrid = (ms: number) => Math.ceil(ms / intervalMs) * intervalMs;
    const next = onGrid(afterMs + 1);
    if (this.trip) return next;
    const tripStart = this.trips.nextTripAfter(Math.max(afterMs, this.timeMs)).startMs;
    return Math.max(next, Math.min(onGrid(afterMs + parkedIntervalMs), onGrid(tripStart + 1)));
  }

  private advanceTo(targetMs: number): void {
    while (this.timeMs < targetMs) {
      if (this.trip) {
        this.drive(Math.min(DRIVE_STEP_MS, targetMs - this.timeMs));
        continue;
      }
      const next = this.trips.nextTripAfter(this.timeMs);
      const parkUntil = Math.min(targetMs, next.startMs);
      while (this.timeMs < parkUntil) this.park(Math.min(PARKED_STEP_MS, parkUntil - this.timeMs));
      if (next.startMs <= targetMs && this.timeMs === next.startMs) this.startTrip(next);
    }
  }

  private startTrip(planned: PlannedTrip): void {
    this.trip = { cycle: new DriveCycle(planned.kind, planned.durationS, this.tripRandom.fork(planned.startMs)), startMs: this.timeMs, dtcs: new Set() };
    this.powertrain = powertrainState(0, 0, this.profile.idleRpm, 1);
  }

  private park(dtMs: number): void {
    const ambient = this.ambientC(this.timeMs + dtMs / 2);
    this.coolant.step({ dtS: dtMs / 1000, engineRunning: false, speedKph: 0, engineLoadPct: 0, ambientC: ambient, setPointC: 0, thermostatStuckOpen: false });
    this.tires.step(dtMs / 1000, 0, 0, ambient, this.effects());
    this.timeMs += dtMs;
  }

  private drive(dtMs: number): void {
    const trip = this.trip!;
    const dtS = dtMs / 1000;
    const before = trip.cycle.currentSpeedKph;
    const accel = trip.cycle.step(dtS);
    const speed = trip.cycle.currentSpeedKph;
    const distanceKm = ((before + speed) / 2) * (dtS / 3600);
    const effects = this.effects();
    const ambient = this.ambientC(this.timeMs);
    this.odometerKm += distanceKm;
    this.powertrain = powertrainState(speed, accel, this.profile.idleRpm, effects.fuelFactor);
    this.coolant.step({
      dtS,
      engineRunning: true,
      speedKph: speed,
      engineLoadPct: this.powertrain.engineLoadPct,
      ambientC: ambient,
      setPointC: this.profile.thermostatSetPointC + effects.setPointShiftC,
      thermostatStuckOpen: effects.thermostatStuckOpen,
    });
    this.tires.step(dtS, distanceKm, speed, ambient, effects);
    this.timeMs += dtMs;
    const coolantC = this.coolant.trueTemperatureC;
    if (effects.thermostatStuckOpen && coolantC < P0128_BELOW_C && this.timeMs - trip.startMs >= P0128_AFTER_MS) trip.dtcs.add('P0128');
    if (coolantC > P0217_ABOVE_C) trip.dtcs.add('P0217');
    if (trip.cycle.finished) {
      this.trip = undefined;
      this.lastStopMs = this.timeMs;
    }
  }

  private reading(nowMs: number): TelemetrySample {
    const ambient = this.ambientC(nowMs);
    const trip = this.trip;
    const extra = this.noiseLevel;
    const sample: TelemetrySample = {
      ts: new Date(nowMs),
      seq: nowMs,
      odometerKm: round(this.odometerKm, 3),
      coolantTempC: round(this.coolant.reading(this.noise) + this.noise.normal(0, 0.8 * extra), 1),
      ambientTempC: round(ambient, 1),
      batteryV: round(
        batteryVoltage(trip !== undefined, (nowMs - (trip?.startMs ?? nowMs)) / 1000, (nowMs - this.lastStopMs) / 1000, trip?.cycle.currentSpeedKph ?? 0, this.noise),
        2,
      ),
    };
    if (!trip || !this.powertrain) return { ...sample, speedKph: 0, rpm: 0 };
    const speed = trip.cycle.currentSpeedKph;
    Object.assign(sample, {
      speedKph: round(speed, 1),
      rpm: Math.round(this.powertrain.rpm + this.noise.normal(0, 8)),
      engineLoadPct: round(this.powertrain.engineLoadPct, 1),
      throttlePct: round(this.powertrain.throttlePct, 1),
      fuelRateLph: round(Math.max(0, this.powertrain.fuelRateLph * (1 + this.noise.normal(0, 0.05 * extra))), 2),
      intakeTempC: Math.round(ambient + (speed < 30 ? 12 : 5)),
    });
    if (nowMs - this.lastTireReportMs >= TIRE_REPORT_EVERY_MS && speed > 0) {
      const tires = this.tires.reading(this.effects());
      sample.tires = mapWheels(tires, (m) => ({
        treadMm: round((m.treadMm ?? 0) + this.noise.normal(0, 0.1 * extra), 2),
        pressureKpa: round((m.pressureKpa ?? 0) + this.noise.normal(0, 2 * extra), 1),
      }));
      this.lastTireReportMs = nowMs;
    }
    if (trip.dtcs.size > 0) sample.dtcs = [...trip.dtcs].sort();
    return sample;
  }

  private effects(): FaultEffects {
    return faultEffects(this.faults, this.epochMs, this.timeMs);
  }

  private ambientC(atMs: number): number {
    const localHour = (((atMs / HOUR_MS + this.profile.utcOffsetHours) % 24) + 24) % 24;
    return this.profile.climateMeanC + 5 * Math.cos((2 * Math.PI * (localHour - 15)) / 24);
  }
}
