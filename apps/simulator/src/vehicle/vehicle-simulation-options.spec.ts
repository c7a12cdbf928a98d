import type { TelemetrySample } from '#app/telemetry';
import type { DeviceNoise } from './device-noise.js';
import { DAY_MS, drives, EPOCH, history, vehicle } from './simulated-history.fixture.js';
import { TripPlanner, type PlannedTrip, type TripSource } from './trip-planner.js';
import { VehicleSimulation } from './vehicle-simulation.js';

const HOUR_MS = 3_600_000;

/** One 30-minute city trip at 09:00 UTC every day: a habit the commuter planner never produces. */
const nineOClockTrips: TripSource = {
  nextTripAfter(timeMs: number): PlannedTrip {
    const todayAtNine = Math.floor(timeMs / DAY_MS) * DAY_MS + 9 * HOUR_MS;
    return { startMs: todayAtNine >= timeMs ? todayAtNine : todayAtNine + DAY_MS, durationS: 30 * 60, kind: 'city' };
  },
};

/** A deterministic offset that draws nothing, so every other reading stays as the default device reports it. */
const offsetNoise: DeviceNoise = {
  coolantC: (readingC) => readingC + 5,
  fuelRateLph: (readingLph) => readingLph * 2,
  tire: (reading) => ({ treadMm: reading.treadMm! - 1, pressureKpa: reading.pressureKpa! + 10 }),
};

const withTires = (samples: readonly TelemetrySample[]) => samples.filter((s) => s.tires !== undefined);

describe(VehicleSimulation.name, () => {
  describe('options for other drivers and devices', () => {
    it('reports exactly what it did before when given the default planner explicitly', () => {
      const explicit = vehicle({ trips: (profile, random) => new TripPlanner(random, profile) });
      expect(history(explicit, 2, 5000)).toEqual(history(vehicle(), 2, 5000));
    });

    it('drives only when the given trip source says so', () => {
      const sut = vehicle({ trips: () => nineOClockTrips });
      const trips = drives(history(sut, 4, 10_000));
      expect(trips).toHaveLength(4);
      for (const trip of trips) {
        expect(trip[0]!.ts.getUTCHours()).toBe(9);
        expect(trip[0]!.ts.getUTCMinutes()).toBe(0);
      }
      expect(sut.truth.odometerKm).toBeGreaterThan(sut.profile.startOdometerKm);
    });

    it('starts from part-worn tyres when given a tread per wheel', () => {
      const startTreadMm = { FL: 3.1, FR: 3.2, RL: 3.6, RR: 3.7 };
      const sut = vehicle({ startTreadMm });
      expect(sut.profile.startTreadMm).toEqual(startTreadMm);
      expect(sut.profile.wearPerKmMm).toEqual(VehicleSimulation.profileFor(7, 'LCHDEM00000000001').wearPerKmMm);
      const first = withTires(history(sut, 2))[0]!.tires!;
      for (const wheel of ['FL', 'FR', 'RL', 'RR'] as const) {
        expect(first[wheel]!.treadMm).toBeLessThanOrEqual(startTreadMm[wheel]);
        expect(first[wheel]!.treadMm).toBeGreaterThan(startTreadMm[wheel] - 0.01);
      }
    });

    it('passes coolant, fuel rate and tyre readings through the device noise', () => {
      const plain = history(vehicle(), 2, 5000);
      const noisy = history(vehicle({ deviceNoise: offsetNoise }), 2, 5000);
      expect(noisy).toHaveLength(plain.length);
      noisy.forEach((sample, i) => {
        const base = plain[i]!;
        expect(sample.coolantTempC).toBeCloseTo(base.coolantTempC! + 5, 0);
        expect(sample.batteryV).toBe(base.batteryV);
        if (base.fuelRateLph !== undefined) expect(sample.fuelRateLph).toBeCloseTo(base.fuelRateLph * 2, 1);
      });
      const plainTires = withTires(plain);
      const noisyTires = withTires(noisy);
      expect(noisyTires.length).toBeGreaterThan(0);
      expect(noisyTires).toHaveLength(plainTires.length);
      noisyTires.forEach((sample, i) => {
        expect(sample.tires!.FL!.treadMm).toBeCloseTo(plainTires[i]!.tires!.FL!.treadMm! - 1, 2);
        expect(sample.tires!.RR!.pressureKpa).toBeCloseTo(plainTires[i]!.tires!.RR!.pressureKpa! + 10, 1);
      });
    });

    it('advances without reporting, and refuses to go back', () => {
      const skipped = vehicle();
      const sampled = vehicle();
      const at = new Date(EPOCH.getTime() + DAY_MS);
      skipped.runUntil(at);
      history(sampled, 1, 1000);
      expect(skipped.currentTimeMs).toBe(at.getTime());
      expect(skipped.truth.odometerKm).toBeCloseTo(sampled.sampleAt(at).odometerKm!, 2);
      expect(() => skipped.runUntil(EPOCH)).toThrow(RangeError);
    });
  });
});
