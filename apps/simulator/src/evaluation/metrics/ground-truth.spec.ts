import type { VehiclePlan } from '../fleet/fleet-plan.js';
import type { VehicleTruth } from '../fleet/evaluated-vehicle.js';
import type { DayRecord, VehicleRun } from '../replay/vehicle-replay.js';
import { failureDay, oilDueAtMs } from './ground-truth.js';

const DAY_MS = 86_400_000;
const EPOCH_MS = Date.parse('2026-03-02T00:00:00Z');
const wheels = (value: number) => ({ FL: value, FR: value, RL: value, RR: value });

const aTruth = (overrides: Partial<VehicleTruth> = {}): VehicleTruth => ({
  odometerKm: 10_000,
  treadMm: wheels(6),
  wearPerKmMm: wheels(0.0001),
  coldPressureKpa: wheels(240),
  setPointC: 90,
  fuelFactor: 1,
  thermostatStuckOpen: false,
  ...overrides,
});

const aDay = (day: number, truth: Partial<VehicleTruth>, oilBaseline = { at: new Date(EPOCH_MS - 100 * DAY_MS), km: 0 }): DayRecord => ({
  day,
  endMs: EPOCH_MS + (day + 1) * DAY_MS,
  components: {},
  truth: aTruth(truth),
  oilBaseline,
  forecasts: { tireKmTo3: {}, tireKmTo16: {}, oilDaysToDue: null, coolantDaysToDanger: null },
});

const aRun = (fault: VehiclePlan['fault'], days: DayRecord[], onsetDay: number | null = 0): VehicleRun => ({
  plan: {
    vin: 'TEST',
    usage: 'city',
    fault,
    simulatorFaults: [],
    onsetDay,
    noiseLevel: 0,
    lastOilChange: { kind: 'OIL_CHANGE', performedAt: days[0]!.oilBaseline.at, odometerKm: days[0]!.oilBaseline.km },
  },
  days,
  oilServiceDays: [],
  oilChanges: [],
});

describe(failureDay.name, () => {
  it('is the first day whose end-of-day truth is past the failure line', () => {
    const setPoints = [100, 102, 104.9, 105.1, 106];
    const sut = aRun(
      'coolant-drift',
      setPoints.map((c, day) => aDay(day, { setPointC: c })),
    );

    expect(failureDay(sut)).toBe(3);
  });

  it('tracks the front-left wheel for misalignment even when another wheel is lower', () => {
    const treads = [3.0, 2.0, 1.6];
    const sut = aRun(
      'uneven-tire-wear',
      treads.map((mm, day) => aDay(day, { treadMm: { FL: mm, FR: 5, RL: 1.0, RR: 5 } })),
    );

    expect(failureDay(sut)).toBe(2);
  });

  it('counts a stuck thermostat as failed on its onset day, and a healthy car never', () => {
    expect(failureDay(aRun('thermostat-stuck-open', [aDay(0, {}), aDay(1, {})], 17))).toBe(17);
    expect(failureDay(aRun(null, [aDay(0, { setPointC: 120 })]))).toBeNull();
  });

  it('is null when the line is not crossed within the run', () => {
    expect(failureDay(aRun('slow-leak', [aDay(0, { coldPressureKpa: wheels(200) }), aDay(1, { coldPressureKpa: wheels(151) })]))).toBeNull();
  });
});

describe(oilDueAtMs.name, () => {
  const baseline = { at: new Date(EPOCH_MS - 100 * DAY_MS), km: 0 };

  it('interpolates the moment the odometer passes the interval within the day it does', () => {
    // 14,800 km at the end of day 0, 15,200 at the end of day 1: 15,000 is passed half-way through day 1.
    const days = [aDay(0, { odometerKm: 14_800 }, baseline), aDay(1, { odometerKm: 15_200 }, baseline)];

    expect(oilDueAtMs(days[0]!, days)).toBe(EPOCH_MS + 1.5 * DAY_MS);
  });

  it('extrapolates past the run at the mean daily distance', () => {
    // 100 km a day (200 km over 2 days), 14,000 at the end of day 1: 1,000 km = 10 days later.
    const days = [aDay(0, { odometerKm: 13_800 }, baseline), aDay(1, { odometerKm: 14_000 }, baseline)];

    expect(oilDueAtMs(days[1]!, days)).toBe(EPOCH_MS + 2 * DAY_MS + 10 * DAY_MS);
  });

  it('takes the calendar limit when it comes first', () => {
    const early = { at: new Date('2025-03-10T00:00:00Z'), km: 0 };
    const days = [aDay(0, { odometerKm: 1_000 }, early)];

    expect(oilDueAtMs(days[0]!, days)).toBe(Date.parse('2026-03-10T00:00:00Z'));
  });
});
