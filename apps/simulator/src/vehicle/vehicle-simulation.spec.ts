import type { WheelPosition } from '#app/telemetry';
import { LEAKING_WHEEL, UNEVEN_WEAR_WHEEL } from './fault.model.js';
import { DAY_MS, drives, EPOCH, fault, history, median, minutesInto, vehicle } from './simulated-history.fixture.js';
import { VehicleSimulation } from './vehicle-simulation.js';

describe(VehicleSimulation.name, () => {
  describe('a healthy car', () => {
    const sut = vehicle();
    const samples = history(sut, 7);
    // Drives long enough to warm up on the road (a 20-minute wait at idle warms more slowly, as in a real car).
    const longDrives = drives(samples).filter(
      (drive) => minutesInto(drive, drive.at(-1)!) >= 20 && drive.at(-1)!.odometerKm! - drive[0]!.odometerKm! > 5,
    );

    it('drives a few trips a day at plausible hours and distances', () => {
      const allDrives = drives(samples);
      expect(allDrives.length).toBeGreaterThanOrEqual(7);
      expect(allDrives.length).toBeLessThanOrEqual(7 * 5);
      const kmPerDay = (samples.at(-1)!.odometerKm! - samples[0]!.odometerKm!) / 7;
      expect(kmPerDay).toBeGreaterThan(10);
      expect(kmPerDay).toBeLessThan(250);
      for (const drive of allDrives) {
        const localHour = (drive[0]!.ts.getUTCHours() + 1) % 24;
        expect(localHour).toBeGreaterThanOrEqual(6);
        expect(localHour).toBeLessThanOrEqual(22);
      }
    });

    it('warms its coolant to about 90 C and keeps it in the thermostat band', () => {
      expect(longDrives.length).toBeGreaterThan(2);
      for (const drive of longDrives) {
        const warmedAt = drive.findIndex((s) => s.coolantTempC! >= sut.profile.thermostatSetPointC - 1.5);
        expect(warmedAt).toBeGreaterThan(0);
        expect(minutesInto(drive, drive[warmedAt]!)).toBeLessThan(20);
        const warm = drive.slice(warmedAt).map((s) => s.coolantTempC!);
        expect(median(warm)).toBeGreaterThan(88);
        expect(median(warm)).toBeLessThan(93);
        expect(Math.min(...warm)).toBeGreaterThan(sut.profile.thermostatSetPointC - 4);
        expect(Math.max(...warm)).toBeLessThan(sut.profile.thermostatSetPointC + 7);
      }
    });

    it('starts cold, cools down when parked and never reports impossible values', () => {
      expect(drives(samples).filter((drive) => drive[0]!.coolantTempC! >= 80)).toEqual([]);
      const impossible = samples.filter(
        (s) => s.coolantTempC! < -10 || s.coolantTempC! > 120 || s.speedKph! < 0 || s.speedKph! > 140 || s.rpm! > 4500,
      );
      expect(impossible).toEqual([]);
    });

    it('burns ~0.8 L/h at idle and a plausible 4-12 L/100 km on the road', () => {
      const running = samples.filter((s) => s.rpm! > 0);
      const idle = running.filter((s) => s.speedKph === 0).map((s) => s.fuelRateLph!);
      expect(median(idle)).toBeGreaterThan(0.7);
      expect(median(idle)).toBeLessThan(0.9);
      const litres = running.reduce((sum, s) => sum + s.fuelRateLph! / 3600, 0);
      const km = samples.at(-1)!.odometerKm! - samples[0]!.odometerKm!;
      expect((litres / km) * 100).toBeGreaterThan(4);
      expect((litres / km) * 100).toBeLessThan(12);
    });

    it('charges at ~14.1 V while running, rests at ~12.6 V and dips when cranking', () => {
      const running = samples.filter((s) => s.rpm! > 0 && s.speedKph! > 0).map((s) => s.batteryV!);
      expect(median(running)).toBeCloseTo(14.1, 1);
      const longParked = samples.filter((s, i) => s.rpm === 0 && i > 0 && samples[i - 1]!.rpm === 0 && s.batteryV! < 12.7);
      expect(longParked.length).toBeGreaterThan(0);
      expect(median(longParked.map((s) => s.batteryV!))).toBeCloseTo(12.6, 1);
      for (const drive of drives(samples)) expect(drive[0]!.batteryV!).toBeLessThan(11);
    });

    it('has a monotonic odometer, strictly increasing seq equal to the sample time, and no DTCs', () => {
      const backwards = samples.filter((s, i) => i > 0 && (s.odometerKm! < samples[i - 1]!.odometerKm! || s.seq <= samples[i - 1]!.seq));
      expect(backwards).toEqual([]);
      expect(samples.every((s) => s.seq === s.ts.getTime())).toBe(true);
      expect(samples.some((s) => s.dtcs !== undefined)).toBe(false);
    });

    it('wears its tread by about 1 mm per 10,000 km, fronts faster than rears', () => {
      const km = sut.truth.odometerKm - sut.profile.startOdometerKm;
      const wornPerKm = (wheel: 'FL' | 'FR' | 'RL' | 'RR') => (sut.profile.startTreadMm[wheel] - sut.truth.treadMm[wheel]!) / km;
      for (const wheel of ['FL', 'FR', 'RL', 'RR'] as const) {
        expect(wornPerKm(wheel)).toBeGreaterThan(0.7e-4);
        expect(wornPerKm(wheel)).toBeLessThan(1.3e-4);
      }
      expect(wornPerKm('FL')).toBeGreaterThan(wornPerKm('RL'));
      // Reported to 0.01 mm: a few hundred km show as a small, never-increasing decline.
      const withTires = samples.filter((s) => s.tires);
      expect(withTires.length).toBeGreaterThan(50);
      expect(withTires.at(-1)!.tires!.FL!.treadMm!).toBeLessThan(withTires[0]!.tires!.FL!.treadMm!);
      expect(withTires.filter((s, i) => i > 0 && s.tires!.FL!.treadMm! > withTires[i - 1]!.tires!.FL!.treadMm!)).toEqual([]);
    });

    it('reports tyre pressures near their cold setting, rising a little as the tyres warm', () => {
      const pressures = samples.filter((s) => s.tires).map((s) => s.tires!.RR!.pressureKpa!);
      expect(Math.min(...pressures)).toBeGreaterThan(sut.profile.coldPressureKpa.RR - 15);
      expect(Math.max(...pressures)).toBeLessThan(sut.profile.coldPressureKpa.RR + 35);
    });
  });

  describe('with faults', () => {
    it('thermostat stuck open: never reaches 80 C, stays at or below ~75 C on the highway, sets P0128', () => {
      const samples = history(vehicle({ faults: [fault('thermostat-stuck-open')] }), 10, 2000);
      const running = samples.filter((s) => s.rpm! > 0);
      expect(Math.max(...running.map((s) => s.coolantTempC!))).toBeLessThan(80);
      const highway = running.filter((s) => s.speedKph! > 90).map((s) => s.coolantTempC!);
      expect(highway.length).toBeGreaterThan(0);
      expect(Math.max(...highway)).toBeLessThanOrEqual(75);
      expect(samples.some((s) => s.dtcs?.includes('P0128'))).toBe(true);
    });

    it('coolant drift: the warm coolant level climbs by about the drift rate per day', () => {
      const samples = history(vehicle({ faults: [fault('coolant-drift', { rate: 0.5, onsetDays: 2 })] }), 16, 5000);
      const warmMedianOnDay = (day: number) =>
        median(
          samples
            .filter((s) => s.rpm! > 0 && Math.floor((s.ts.getTime() - EPOCH.getTime()) / DAY_MS) === day)
            .filter((s) => s.coolantTempC! > 85)
            .map((s) => s.coolantTempC!),
        );
      const early = [0, 1].map(warmMedianOnDay).filter(Number.isFinite);
      const late = [14, 15].map(warmMedianOnDay).filter(Number.isFinite);
      expect(median(late) - median(early)).toBeGreaterThan(4.5);
      expect(median(late) - median(early)).toBeLessThan(8.5);
    });

    it('fuel economy loss: burns more fuel than its healthy twin on the same trips, growing weekly', () => {
      const healthy = history(vehicle(), 21, 5000);
      const faulty = history(vehicle({ faults: [fault('fuel-economy-loss', { rate: 5 })] }), 21, 5000);
      const litresInWeek = (samples: typeof healthy, week: number) =>
        samples
          .filter((s) => Math.floor((s.ts.getTime() - EPOCH.getTime()) / (7 * DAY_MS)) === week)
          .reduce((sum, s) => sum + (s.fuelRateLph ?? 0), 0);
      expect(faulty.map((s) => s.odometerKm)).toEqual(healthy.map((s) => s.odometerKm));
      const ratioWeek0 = litresInWeek(faulty, 0) / litresInWeek(healthy, 0);
      const ratioWeek2 = litresInWeek(faulty, 2) / litresInWeek(healthy, 2);
      expect(ratioWeek0).toBeGreaterThan(1);
      expect(ratioWeek0).toBeLessThan(1.06);
      expect(ratioWeek2).toBeGreaterThan(1.1);
      expect(ratioWeek2).toBeLessThan(1.15);
    });

    it('fast and uneven tyre wear: the affected wheels lose tread several times faster', () => {
      const worn = (faults: ReturnType<typeof fault>[]) => {
        const sut = vehicle({ faults });
        history(sut, 5, 5000);
        return Object.fromEntries((['FL', 'FR', 'RL', 'RR'] as const).map((w) => [w, sut.profile.startTreadMm[w] - sut.truth.treadMm[w]!])) as Record<
          'FL' | 'FR' | 'RL' | 'RR',
          number
        >;
      };
      const healthy = worn([]);
      const fast = worn([fault('fast-tire-wear', { rate: 4 })]);
      const uneven = worn([fault('uneven-tire-wear', { rate: 3 })]);
      expect(fast.RL / healthy.RL).toBeCloseTo(4, 1);
      expect(uneven[UNEVEN_WEAR_WHEEL] / healthy[UNEVEN_WEAR_WHEEL]).toBeCloseTo(3, 1);
      expect(uneven.FR / healthy.FR).toBeCloseTo(1, 5);
    });

    it('slow leak: one wheel loses about the leak rate per day, the others hold', () => {
      const samples = history(vehicle({ faults: [fault('slow-leak', { rate: 4 })] }), 10, 5000).filter((s) => s.tires);
      const firstDay = samples.filter((s) => s.ts.getTime() < EPOCH.getTime() + 2 * DAY_MS);
      const lastDays = samples.filter((s) => s.ts.getTime() >= EPOCH.getTime() + 8 * DAY_MS);
      const drop = (wheel: WheelPosition) =>
        median(firstDay.map((s) => s.tires![wheel]!.pressureKpa!)) - median(lastDays.map((s) => s.tires![wheel]!.pressureKpa!));
      expect(drop(LEAKING_WHEEL)).toBeGreaterThan(20);
      expect(drop(LEAKING_WHEEL)).toBeLessThan(40);
      expect(Math.abs(drop('FL'))).toBeLessThan(6);
    });
    it('puncture: the front-left tyre reads about 140 kPa on every tyre report from its onset, far below the others', () => {
      const samples = history(vehicle({ faults: [fault('puncture', { onsetDays: 2 })] }), 4, 5000).filter((s) => s.tires);
      const after = samples.filter((s) => s.ts.getTime() >= EPOCH.getTime() + 2 * DAY_MS);
      const before = samples.filter((s) => s.ts.getTime() < EPOCH.getTime() + 2 * DAY_MS);
      const fl = after.map((s) => s.tires!.FL!.pressureKpa!);
      expect(fl.length).toBeGreaterThan(20);
      expect(Math.max(...fl)).toBeLessThan(160);
      expect(Math.min(...fl)).toBeGreaterThan(115);
      expect(Math.min(...after.map((s) => s.tires!.FR!.pressureKpa!))).toBeGreaterThan(200);
      expect(Math.min(...before.map((s) => s.tires!.FL!.pressureKpa!))).toBeGreaterThan(200);
    });
  });

  describe('determinism', () => {
    it('gives the same samples for the same seed and times, different ones for another seed', () => {
      const run = (seed: number) => history(vehicle({ seed }), 2, 1000).map((s) => JSON.stringify(s));
      expect(run(11)).toEqual(run(11));
      expect(run(12)).not.toEqual(run(11));
    });

    it('gives the same state whatever the sampling interval (backfill and live share the physics)', () => {
      const coarse = vehicle();
      const fine = vehicle();
      history(coarse, 3, 10_000);
      history(fine, 3, 1000);
      const at = new Date(EPOCH.getTime() + 3 * DAY_MS);
      expect(coarse.sampleAt(at).odometerKm).toBeCloseTo(fine.sampleAt(at).odometerKm!, 6);
    });

    it('refuses to go back in time', () => {
      const sut = vehicle();
      sut.sampleAt(new Date(EPOCH.getTime() + 60_000));
      expect(() => sut.sampleAt(EPOCH)).toThrow(RangeError);
    });

    it('drives right away when asked to (live demos)', () => {
      const sut = vehicle({ driveAtStart: true });
      const samples = Array.from({ length: 120 }, (_, i) => sut.sampleAt(new Date(EPOCH.getTime() + (i + 1) * 1000)));
      expect(samples.every((s) => s.rpm! > 0)).toBe(true);
      expect(Math.max(...samples.map((s) => s.speedKph!))).toBeGreaterThan(20);
    });
  });
});
