import type { TelemetryPoint } from '../maintenance-model.js';
import { cleanOdometer } from './odometer-cleaner.js';
import { odometerAt } from './odometer-lookup.js';

const T0 = Date.parse('2026-11-01T08:00:00Z');
const HOUR = 3_600_000;
const at = (hours: number): Date => new Date(T0 + hours * HOUR);
const reading = (hours: number, km: number): TelemetryPoint => ({ ts: at(hours), odometerKm: km });

describe(odometerAt.name, () => {
  const sut = cleanOdometer([reading(0, 1000), reading(2, 1100), reading(10, 1100)]);

  it('interpolates between readings', () => {
    expect(odometerAt(sut, at(1))).toBeCloseTo(1050, 9);
    expect(odometerAt(sut, at(2))).toBe(1100);
  });

  it('uses the nearest reading just outside the data and nothing further away', () => {
    expect(odometerAt(sut, at(-3))).toBe(1000);
    expect(odometerAt(sut, at(15))).toBe(1100);
    expect(odometerAt(sut, at(-7))).toBeUndefined();
  });

  it('does not interpolate across an odometer reset', () => {
    const reset = cleanOdometer([...[0, 1, 2, 3, 4].map((h) => reading(h, 90_000 + h)), ...[20, 21, 22, 23, 24].map((h) => reading(h, 10 + h))]);
    expect(reset.segmentCount).toBe(2);
    expect(odometerAt(reset, at(12))).toBeUndefined();
    expect(odometerAt(reset, at(5))).toBe(90_004);
  });

  it('has nothing to say without readings', () => {
    expect(odometerAt(cleanOdometer([]), at(0))).toBeUndefined();
  });
});
