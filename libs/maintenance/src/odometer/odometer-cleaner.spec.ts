import fc from 'fast-check';
import type { TelemetryPoint } from '../maintenance-model.js';
import { cleanOdometer, latestOdometer } from './odometer-cleaner.js';

const T0 = Date.parse('2026-11-01T08:00:00Z');
const MIN = 60_000;
/** One reading per minute unless `minutes` says otherwise. */
const series = (kms: number[], opts: { minutes?: number[]; speedKph?: number } = {}): TelemetryPoint[] =>
  kms.map((km, i) => ({ ts: new Date(T0 + (opts.minutes?.[i] ?? i) * MIN), odometerKm: km, speedKph: opts.speedKph }));
const kmsOf = (samples: TelemetryPoint[]): number[] => cleanOdometer(samples).points.map((p) => p.km);

describe(cleanOdometer.name, () => {
  it('keeps a clean increasing series as it is', () => {
    const sut = cleanOdometer(series([100, 100.5, 101, 102]));
    expect(sut.points.map((p) => p.km)).toEqual([100, 100.5, 101, 102]);
    expect(sut.dropped).toEqual({ invalid: 0, duplicate: 0, rollback: 0, jump: 0, spike: 0, stuck: 0 });
    expect(sut.segmentCount).toBe(1);
    expect(latestOdometer(sut)?.km).toBe(102);
  });

  it('drops a single rollback reading', () => {
    const sut = cleanOdometer(series([100, 101, 12, 102, 103]));
    expect(sut.points.map((p) => p.km)).toEqual([100, 101, 102, 103]);
    expect(sut.dropped.rollback).toBe(1);
  });

  it('treats a tiny decrease as rounding: kept at the previous value, not a rollback', () => {
    expect(kmsOf(series([100, 100.2, 100.1, 100.4]))).toEqual([100, 100.2, 100.2, 100.4]);
  });

  it('drops a jump faster than 250 km/h plus 5 km margin', () => {
    // 1 minute allows 250 / 60 + 5 = 9.17 km
    const sut = cleanOdometer(series([100, 101, 1101, 102]));
    expect(sut.points.map((p) => p.km)).toEqual([100, 101, 102]);
    expect(sut.dropped.jump).toBe(1);
  });

  it('accepts a large step after a long gap when the time allows it', () => {
    // 3 days offline: 700 km is below 250 km/h * 72 h
    expect(kmsOf(series([100, 800], { minutes: [0, 3 * 24 * 60] }))).toEqual([100, 800]);
  });

  it('drops frozen readings while the car is moving and accepts the catch-up afterwards', () => {
    // 60 km/h for 10 minutes with the odometer stuck at 100: 10 km driven unseen, then it resumes.
    const frozen = series([100, ...Array<number>(10).fill(100), 111], { speedKph: 60 });
    const sut = cleanOdometer(frozen);
    expect(sut.dropped.stuck).toBeGreaterThan(0);
    expect(sut.points[sut.points.length - 1].km).toBe(111);
    expect(sut.dropped.jump).toBe(0);
  });

  it('keeps equal readings of a parked car (no speed): they are not stuck', () => {
    expect(cleanOdometer(series([100, 100, 100, 100])).dropped.stuck).toBe(0);
  });

  it('removes an earlier plausible spike once five readings agree against it', () => {
    // 108 is reachable in a minute, but everything after it continues from ~101.
    const sut = cleanOdometer(series([100, 101, 108, 101.2, 101.4, 101.6, 101.8, 102]));
    expect(sut.points.map((p) => p.km)).toEqual([100, 101, 101.2, 101.4, 101.6, 101.8, 102]);
    expect(sut.dropped.spike).toBe(1);
    expect(sut.segmentCount).toBe(1);
  });

  it('starts a new segment when the odometer was really reset (cluster replaced)', () => {
    const before = [120_000, 120_001, 120_002, 120_003, 120_004, 120_005, 120_006];
    const after = [50, 51, 52, 53, 54, 55];
    const sut = cleanOdometer(series([...before, ...after]));
    expect(sut.segmentCount).toBe(2);
    expect(sut.points.filter((p) => p.segment === 1).map((p) => p.km)).toEqual(after);
    expect(sut.dropped.rollback).toBe(0);
  });

  it('drops a lone bogus first reading once the real series outvotes it', () => {
    const sut = cleanOdometer(series([999_999, 100, 101, 102, 103, 104, 105]));
    expect(sut.points.map((p) => p.km)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(sut.dropped.spike).toBe(1);
  });

  it('re-sorts out-of-order readings and counts them', () => {
    const s = series([100, 101, 102, 103]);
    const sut = cleanOdometer([s[0], s[2], s[1], s[3]]);
    expect(sut.points.map((p) => p.km)).toEqual([100, 101, 102, 103]);
    expect(sut.outOfOrder).toBe(1);
  });

  it('drops duplicate timestamps and invalid values; ignores samples without odometer', () => {
    const s = series([100, 101]);
    const sut = cleanOdometer([
      s[0],
      { ...s[0], odometerKm: 100 },
      { ts: new Date(T0 + 30_000) },
      { ts: new Date(T0 + 40_000), odometerKm: Number.NaN },
      { ts: new Date(T0 + 50_000), odometerKm: -3 },
      s[1],
    ]);
    expect(sut.points.map((p) => p.km)).toEqual([100, 101]);
    expect(sut.dropped.duplicate).toBe(1);
    expect(sut.dropped.invalid).toBe(2);
  });

  it('always returns ascending time, non-decreasing km within a segment, whatever the input order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ minute: fc.integer({ min: 0, max: 5000 }), km: fc.double({ min: 0, max: 2000, noNaN: true }) }), {
          maxLength: 80,
        }),
        (raw) => {
          const input = raw.map((r) => ({ ts: new Date(T0 + r.minute * MIN), odometerKm: r.km }));
          const sut = cleanOdometer(input);
          for (let i = 1; i < sut.points.length; i++) {
            const [a, b] = [sut.points[i - 1], sut.points[i]];
            expect(b.ts.getTime()).toBeGreaterThan(a.ts.getTime());
            if (a.segment === b.segment) expect(b.km).toBeGreaterThanOrEqual(a.km);
          }
          const reversed = cleanOdometer([...input].reverse());
          // Equal timestamps keep arrival order, so only inputs with distinct times must agree exactly.
          if (new Set(raw.map((r) => r.minute)).size === raw.length) expect(reversed.points).toEqual(sut.points);
        },
      ),
    );
  });
});

describe(`${cleanOdometer.name} stuck detection`, () => {
  it('does not call the first reading of a morning drive stuck because of the night before', () => {
    const evening = { ts: new Date(T0), odometerKm: 500, speedKph: 0 };
    const morning = { ts: new Date(T0 + 12 * 60 * MIN), odometerKm: 500, speedKph: 50 };
    expect(cleanOdometer([evening, morning]).dropped.stuck).toBe(0);
  });
});
