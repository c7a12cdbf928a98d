import type { TelemetrySample, TireMeasurement, WheelPosition } from '#app/telemetry';
import { batteryVoltage } from './battery.model.js';
import { CoolantModel } from './coolant.model.js';
import type { DeviceNoise } from './device-noise.js';
import { DriveCycle } from './drive-cycle.js';
import { faultEffects, type FaultEffects, type FaultSpec } from './fault.model.js';
import { powertrainState, type PowertrainState } from './powertrain.js';
import { SeededRandom } from './seeded-random.js';
import { TiresModel } from './tires.model.js';
import { TripPlanner, type PlannedTrip, type TripSource } from './trip-planner.js';
import { drawVehicleProfile, mapWheels, type VehicleProfile } from './vehicle-profile.js';

export interface VehicleSimulationOptions {
  vin: string;
  /** Run seed; the VIN is mixed in, so each vehicle differs but the fleet is reproducible. */
  seed: number | string;
  /** Simulation start: the state is known from here on, and faults count their onset from here. */
  epoch: Date;
  faults?: readonly FaultSpec[];
  /** Start the first trip at the epoch instead of waiting for the first planned one (live demos). */
  driveAtStart?: boolean;
  /** The driver's habits (taxi shifts, a car left parked for days); the profile's commuter planner by default. */
  trips?: (profile: VehicleProfile, random: SeededRandom) => TripSource;
  /** Part-worn tyres: tread per wheel at the epoch instead of the drawn (near-new) tread. */
  startTreadMm?: Readonly<Record<WheelPosition, number>>;
  /** Error the device adds on top of the sensors' own; none by default. */
  deviceNoise?: DeviceNoise;
}

interface ActiveTrip {
  cycle: DriveCycle;
  startMs: number;
  dtcs: Set<string>;
}

const HOUR_MS = 3_600_000;
/** Longest physics step while driving; parked time is integrated in closed form. */
const DRIVE_STEP_MS = 1000;
const PARKED_STEP_MS = 15 * 60_000;
/** TPMS sensors broadcast about once a minute while the car moves. */
const TIRE_REPORT_EVERY_MS = 60_000;
/** An ECU sets P0128 when the coolant stays below the regulating temperature this long into a drive. */
const P0128_AFTER_MS = 15 * 60_000;
const P0128_BELOW_C = 75;
const P0217_ABOVE_C = 110;

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** TPMS precision: the device reports tread to 0.01 mm and pressure to 0.1 kPa. */
const roundTire = (reading: TireMeasurement): TireMeasurement => ({
  ...(reading.treadMm === undefined ? {} : { treadMm: round(reading.treadMm, 2) }),
  ...(reading.pressureKpa === undefined ? {} : { pressureKpa: round(reading.pressureKpa, 1) }),
});

/** Every random stream of one vehicle forks from this, so each VIN differs but a fleet is reproducible. */
const vehicleRandom = (seed: number | string, vin: string): SeededRandom => new SeededRandom(`${seed}:${vin}`);

const defaultTrips = (profile: VehicleProfile, random: SeededRandom): TripSource => new TripPlanner(random, profile);

/**
 * One virtual car. Pure and deterministic: the caller passes the time (`sampleAt(now)`), so backfill
 * (simulated time racing ahead) and live runs (wall-clock time) share this code, and the same seed and
 * times give the same samples.
 *
 * seq is the sample's time in epoch milliseconds: per vehicle it only grows, across restarts too, so a
 * restarted simulator never reuses a seq that ingestion already stored (which would be dropped as a
 * duplicate), while re-sending the same instant is correctly recognised as a duplicate.
 */
export class VehicleSimulation {
  readonly vin: string;
  readonly profile: VehicleProfile;
  private readonly epochMs: number;
  private readonly faults: readonly FaultSpec[];
  private readonly planner: TripSource;
  private readonly tripRandom: SeededRandom;
  private readonly noise: SeededRandom;
  private readonly deviceNoise: DeviceNoise | undefined;
  private readonly coolant: CoolantModel;
  private readonly tires: TiresModel;
  private timeMs: number;
  private odometerKm: number;
  private trip: ActiveTrip | undefined;
  private pendingTrip: PlannedTrip | undefined;
  private lastStopMs: number;
  private lastTireReportMs = -Infinity;
  private powertrain: PowertrainState | undefined;

  /** The profile a vehicle with this seed and VIN draws (before any tread override), e.g. to size its faults. */
  static profileFor(seed: number | string, vin: string): VehicleProfile {
    return drawVehicleProfile(vehicleRandom(seed, vin).fork('profile'));
  }

  constructor(options: VehicleSimulationOptions) {
    const root = vehicleRandom(options.seed, options.vin);
    const drawn = drawVehicleProfile(root.fork('profile'));
    const startTreadMm = options.startTreadMm;
    this.vin = options.vin;
    this.profile = startTreadMm === undefined ? drawn : { ...drawn, startTreadMm: { ...startTreadMm } };
    this.epochMs = options.epoch.getTime();
    this.faults = options.faults ?? [];
    this.planner = (options.trips ?? defaultTrips)(this.profile, root.fork('trips'));
    this.tripRandom = root.fork('drive');
    this.noise = root.fork('noise');
    this.deviceNoise = options.deviceNoise;
    this.timeMs = this.epochMs;
    this.odometerKm = this.profile.startOdometerKm;
    this.lastStopMs = this.epochMs - 6 * HOUR_MS;
    const ambient = this.ambientC(this.epochMs);
    this.coolant = new CoolantModel(ambient, root.fork('coolant'));
    this.tires = new TiresModel(this.profile, root.fork('tires'), ambient);
    if (options.driveAtStart) {
      const random = root.fork('first-trip');
      this.pendingTrip = { startMs: this.epochMs, kind: random.chance(0.3) ? 'highway' : 'city', durationS: random.uniform(15, 40) * 60 };
    }
  }

  get engineRunning(): boolean {
    return this.trip !== undefined;
  }

  get currentTimeMs(): number {
    return this.timeMs;
  }

  /** The state behind the readings, for tests and diagnostics. */
  get truth(): { odometerKm: number; coolantC: number; treadMm: Readonly<Record<string, number>> } {
    return { odometerKm: this.odometerKm, coolantC: this.coolant.trueTemperatureC, treadMm: this.tires.trueTreadMm };
  }

  /** What the faults do to the car right now: ground truth for evaluations, never seen by the device. */
  get faultEffects(): FaultEffects {
    return this.effects();
  }

  /** Advances the car to `now` (never backwards) and returns what its device reports at that instant. */
  sampleAt(now: Date): TelemetrySample {
    this.runUntil(now);
    return this.reading(now.getTime());
  }

  /** Advances the car to `now` (never backwards) without reporting, e.g. to the end of a batch of samples. */
  runUntil(now: Date): void {
    const nowMs = now.getTime();
    if (nowMs < this.timeMs) throw new RangeError(`${this.vin}: time went backwards (${now.toISOString()})`);
    this.advanceTo(nowMs);
  }

  /**
   * When the device reports next after `afterMs`, on the `intervalMs` grid: every interval while the
   * engine runs, every `parkedIntervalMs` while parked, and at the first grid point of the next trip.
   */
  nextReportTime(afterMs: number, intervalMs: number, parkedIntervalMs = intervalMs): number {
    const onGrid = (ms: number) => Math.ceil(ms / intervalMs) * intervalMs;
    const next = onGrid(afterMs + intervalMs);
    if (this.engineRunning || parkedIntervalMs <= intervalMs) return next;
    const tripStart = (this.pendingTrip ?? this.planner.nextTripAfter(Math.max(afterMs, this.timeMs))).startMs;
    return Math.max(next, Math.min(onGrid(afterMs + parkedIntervalMs), onGrid(tripStart + 1)));
  }

  private advanceTo(targetMs: number): void {
    while (this.timeMs < targetMs) {
      if (this.trip) {
        this.drive(this.trip, Math.min(DRIVE_STEP_MS, targetMs - this.timeMs));
        continue;
      }
      const next = this.pendingTrip ?? this.planner.nextTripAfter(this.timeMs);
      const parkUntil = Math.min(targetMs, next.startMs);
      while (this.timeMs < parkUntil) this.park(Math.min(PARKED_STEP_MS, parkUntil - this.timeMs));
      if (next.startMs <= targetMs && this.timeMs === next.startMs) this.startTrip(next);
    }
  }

  private startTrip(planned: PlannedTrip): void {
    this.pendingTrip = undefined;
    this.trip = {
      cycle: new DriveCycle(planned.kind, planned.durationS, this.tripRandom.fork(planned.startMs)),
      startMs: this.timeMs,
      dtcs: new Set(),
    };
    this.powertrain = powertrainState(0, 0, this.profile.idleRpm, 1);
  }

  private park(dtMs: number): void {
    const ambient = this.ambientC(this.timeMs + dtMs / 2);
    const effects = this.effects();
    this.coolant.step({
      dtS: dtMs / 1000,
      engineRunning: false,
      speedKph: 0,
      engineLoadPct: 0,
      ambientC: ambient,
      setPointC: 0,
      thermostatStuckOpen: false,
    });
    this.tires.step(dtMs / 1000, 0, 0, ambient, effects);
    this.timeMs += dtMs;
  }

  private drive(trip: ActiveTrip, dtMs: number): void {
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
      spikesPerHour: effects.spikesPerDrivingHour,
    });
    this.tires.step(dtS, distanceKm, speed, ambient, effects);
    this.timeMs += dtMs;
    this.updateDtcs(trip, effects);
    if (trip.cycle.finished) {
      this.trip = undefined;
      this.lastStopMs = this.timeMs;
    }
  }

  // DTCs appear only under faults, as the ECU's own monitors would set them.
  private updateDtcs(trip: ActiveTrip, effects: FaultEffects): void {
    const coolantC = this.coolant.trueTemperatureC;
    if (effects.thermostatStuckOpen && coolantC < P0128_BELOW_C && this.timeMs - trip.startMs >= P0128_AFTER_MS) {
      trip.dtcs.add('P0128');
    }
    if (coolantC > P0217_ABOVE_C) trip.dtcs.add('P0217');
  }

  private reading(nowMs: number): TelemetrySample {
    const ambient = this.ambientC(nowMs);
    const effects = this.effects();
    const trip = this.trip;
    const sample: TelemetrySample = {
      ts: new Date(nowMs),
      seq: nowMs,
      odometerKm: round(this.odometerKm, 3),
      coolantTempC: round(
        this.withDeviceNoise(this.coolant.reading(this.noise), (device, c) => device.coolantC(c, this.noise)),
        1,
      ),
      ambientTempC: round(ambient, 1),
      batteryV: round(
        batteryVoltage(
          trip !== undefined,
          (nowMs - (trip?.startMs ?? nowMs)) / 1000,
          (nowMs - this.lastStopMs) / 1000,
          trip?.cycle.currentSpeedKph ?? 0,
          this.noise,
        ),
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
      fuelRateLph: round(
        this.withDeviceNoise(this.powertrain.fuelRateLph, (device, lph) => device.fuelRateLph(lph, this.noise)),
        2,
      ),
      // Intake air is heated under the bonnet, more so in slow traffic.
      intakeTempC: Math.round(ambient + (speed < 30 ? 12 : 5)),
    });
    if (nowMs - this.lastTireReportMs >= TIRE_REPORT_EVERY_MS && speed > 0) {
      const tires = this.tires.reading(effects);
      const device = this.deviceNoise;
      sample.tires = device ? mapWheels(tires, (reading) => roundTire(device.tire(reading, this.noise))) : tires;
      this.lastTireReportMs = nowMs;
    }
    if (trip.dtcs.size > 0) sample.dtcs = [...trip.dtcs].sort();
    return sample;
  }

  private withDeviceNoise(value: number, add: (device: DeviceNoise, value: number) => number): number {
    return this.deviceNoise ? add(this.deviceNoise, value) : value;
  }

  private effects(): FaultEffects {
    return faultEffects(this.faults, this.epochMs, this.timeMs);
  }

  /** Local climate plus a daily swing peaking mid-afternoon. */
  private ambientC(atMs: number): number {
    const localHour = (((atMs / HOUR_MS + this.profile.utcOffsetHours) % 24) + 24) % 24;
    return this.profile.climateMeanC + 5 * Math.cos((2 * Math.PI * (localHour - 15)) / 24);
  }
}
