import fc from 'fast-check';
import type { Finding, VehicleHistory, WheelPosition } from '../maintenance-model.js';
import { DAY_MS } from '../odometer/driving-history.factory.js';
import { aHistory, daysAgo, drivingTo, event, inspection, NOW, onAllWheels, pressureReadings } from './tire-history.factory.js';
import { TireWearModel } from './tire-wear.model.js';
import type { TireModelStateV1 } from './tire-state.js';

const finding = (findings: Finding[], wheel: WheelPosition): Finding => {
  const f = findings.find((x) => x.subject === wheel);
  if (f === undefined) throw new Error(`no finding for ${wheel}`);
  return f;
};

/** The hand-computed case: 8.0 mm at 10,000 km and 6.0 mm at 30,000 km on every wheel. */
const twoInspections = (): VehicleHistory =>
  aHistory({
    tireReadings: [...onAllWheels((w) => inspection(w, 10_000, 8.0, daysAgo(400))), ...onAllWheels((w) => inspection(w, 30_000, 6.0, daysAgo(1)))],
  });

describe(TireWearModel.name, () => {
  const sut = new TireWearModel();

  describe('tread forecast', () => {
    it('wears 0.1 mm per 1,000 km and reaches 3.0 mm at 60,000 km (two inspections, no telemetry)', () => {
      const { assessment } = sut.assess(twoInspections(), undefined, NOW);
      const fl = finding(assessment.findings, 'FL');
      expect(fl.code).toBe('TIRE_TREAD_WEAR');
      expect(fl.params.wearMmPer1000Km).toBeCloseTo(0.1, 9);
      expect(fl.params.kmTo3mm).toBe(30_000);
      expect(fl.params.kmTo1_6mm).toBe(44_000);
      expect(assessment.dueOdometerKm).toBe(60_000);
      expect(assessment.risk).toBe('OK');
      expect(assessment.findings.map((f) => f.subject)).toEqual(['FL', 'FR', 'RL', 'RR']);
    });

    it('gives two points a wide interval from the gauge precision, in km when the daily distance is unknown', () => {
      const { assessment } = sut.assess(twoInspections(), undefined, NOW);
      if (assessment.confidence.kind !== 'interval') throw new Error('expected an interval');
      expect(assessment.confidence.unit).toBe('km');
      // 0.3 mm gauge sd over a 20,000 km baseline (sqrt(Sxx) = 14,142.1 km), z(0.9) = 1.28155:
      // 0.1 +- 1.28155 * 0.3 / 14,142.1 * 1000 = 0.1 +- 0.027186 mm / 1000 km; 3.0 mm left over those rates
      expect(assessment.confidence.low).toBeCloseTo(3000 / 0.127186, 0);
      expect(assessment.confidence.high).toBeCloseTo(3000 / 0.072814, 0);
      expect(assessment.evidence.wheels).toMatchObject({ FL: { wearIntervalMethod: 'measurement-error' } });
    });

    it("turns the distance into a date with the vehicle's own daily distance", () => {
      const history = { ...twoInspections(), samples: drivingTo(30_000, 40) };
      const { assessment } = sut.assess(history, undefined, NOW);
      // 30,000 km at 40 km/day = 750 days
      expect(finding(assessment.findings, 'FL').params.daysTo3mm).toBe(750);
      expect(assessment.dueAt?.getTime()).toBe(NOW.getTime() + 750 * DAY_MS);
      expect(assessment.confidence).toMatchObject({ kind: 'interval', unit: 'days' });
    });

    it('says SOON when 3.0 mm is within 30 days', () => {
      // 4.0 -> 3.6 mm over 2,000 km = 0.2 mm / 1000 km; 0.6 mm left = 3,000 km = 20 days at 150 km/day
      const history = aHistory({
        samples: drivingTo(22_000, 150),
        tireReadings: [...onAllWheels((w) => inspection(w, 20_000, 4.0, daysAgo(40))), ...onAllWheels((w) => inspection(w, 22_000, 3.6, daysAgo(1)))],
      });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'FL').params.daysTo3mm).toBe(20);
      expect(assessment.risk).toBe('SOON');
    });

    it('is CRITICAL below 1.6 mm measured, even with a single reading and no forecast', () => {
      const history = aHistory({ tireReadings: [inspection('RR', 50_000, 1.4, daysAgo(1)), inspection('RL', 50_000, 5.0, daysAgo(1))] });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'RR').risk).toBe('CRITICAL');
      expect(assessment.risk).toBe('CRITICAL');
      expect(assessment.confidence.kind).toBe('insufficient-data');
      expect(assessment.health).toBeLessThanOrEqual(10);
    });

    it('makes no forecast from one reading and stays at most WATCH', () => {
      const history = aHistory({ tireReadings: onAllWheels((w) => inspection(w, 50_000, 3.9, daysAgo(1))) });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(assessment.confidence.kind).toBe('insufficient-data');
      expect(assessment.dueAt).toBeUndefined();
      expect(assessment.risk).toBe('WATCH');
    });

    it('reports no tyres when there are no readings', () => {
      const { assessment } = sut.assess(aHistory({ samples: drivingTo(10_000) }), undefined, NOW);
      expect(assessment.findings).toEqual([]);
      expect(assessment.risk).toBe('OK');
      expect(assessment.confidence.kind).toBe('insufficient-data');
    });

    it('places device readings without an odometer value using the telemetry odometer', () => {
      const samples = drivingTo(31_200, 40);
      const device = (ts: Date, treadMm: number) => onAllWheels((w) => ({ position: w, ts, treadMm, source: 'DEVICE' as const }));
      // 30 days at 40 km/day = 1,200 km; tread 5.0 -> 4.88 is 0.1 mm / 1000 km
      const history = aHistory({
        samples,
        tireReadings: [...device(new Date(samples[0].ts), 5.0), ...device(new Date(samples[samples.length - 1].ts), 4.88)],
      });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'FL').params.wearMmPer1000Km).toBeCloseTo(0.1, 3);
    });
  });

  describe('service events', () => {
    it('TIRE_REPLACEMENT resets the replaced wheels only', () => {
      const history = twoInspections();
      history.serviceEvents = [event('TIRE_REPLACEMENT', daysAgo(0.5), ['FL'])];
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(assessment.findings.map((f) => f.subject)).toEqual(['FR', 'RL', 'RR']);
    });

    it("TIRE_ROTATION moves a tyre's history to its new wheel (front-to-back, same side)", () => {
      const history = aHistory({
        tireReadings: [
          inspection('FL', 10_000, 8.0, daysAgo(300)),
          inspection('FL', 20_000, 7.0, daysAgo(200)),
          inspection('RL', 10_000, 8.0, daysAgo(300)),
          inspection('RL', 20_000, 7.8, daysAgo(200)),
          // after the rotation the old front-left tyre is measured at rear left
          inspection('RL', 25_000, 6.5, daysAgo(1)),
        ],
        serviceEvents: [event('TIRE_ROTATION', daysAgo(150))],
      });
      const { assessment } = sut.assess(history, undefined, NOW);
      // RL now carries 8.0, 7.0, 6.5 over 15,000 km: 0.1 mm / 1000 km
      expect(finding(assessment.findings, 'RL').params.wearMmPer1000Km).toBeCloseTo(0.1, 9);
      // FL now carries the old rear tyre: 8.0 -> 7.8, 0.02 mm / 1000 km
      expect(finding(assessment.findings, 'FL').params.wearMmPer1000Km).toBeCloseTo(0.02, 9);
    });

    it('TIRE_ROTATION listing two positions swaps exactly those', () => {
      const history = aHistory({
        tireReadings: [
          inspection('FL', 10_000, 8.0, daysAgo(300)),
          inspection('FL', 20_000, 7.0, daysAgo(200)),
          inspection('FR', 25_000, 6.5, daysAgo(1)),
        ],
        serviceEvents: [event('TIRE_ROTATION', daysAgo(150), ['FL', 'FR'])],
      });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'FR').params.wearMmPer1000Km).toBeCloseTo(0.1, 9);
    });

    it('treats a tread rise of more than 2 mm as an unrecorded new tyre', () => {
      const history = aHistory({
        tireReadings: [
          inspection('FL', 10_000, 4.0, daysAgo(300)),
          inspection('FL', 20_000, 8.2, daysAgo(200)),
          inspection('FL', 30_000, 7.2, daysAgo(1)),
        ],
      });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'FL').params.wearMmPer1000Km).toBeCloseTo(0.1, 9);
      expect(assessment.evidence.undocumentedReplacements).toEqual(['FL']);
    });
  });

  describe('uneven wear', () => {
    const axle = (): VehicleHistory =>
      aHistory({
        tireReadings: [0, 1, 2, 3, 4, 5].flatMap((i) => [
          inspection('FL', 10_000 + i * 5_000, 8.0 - i * 1.0, daysAgo(360 - i * 60)),
          inspection('FR', 10_000 + i * 5_000, 8.0 - i * 0.4, daysAgo(360 - i * 60)),
        ]),
      });

    it('flags the faster-wearing wheel on an axle', () => {
      const { assessment } = sut.assess(axle(), undefined, NOW);
      const fl = finding(assessment.findings, 'FL');
      expect(fl.params.issues).toContain('TIRE_UNEVEN_WEAR');
      expect(fl.params.rateDiffMmPer1000Km).toBeCloseTo(0.12, 9);
      expect(fl.params).toMatchObject({ partner: 'FR', cause: 'alignment' });
      expect(fl.params.confidence).toBeGreaterThanOrEqual(0.9);
      expect(fl.message).toContain(
        'Uneven wear: the front left tyre is wearing faster than the front right one on the same axle. It lost 5 mm, 3 mm more than the front right one (0.12 mm per 1,000 km faster)',
      );
      expect(fl.message).toContain('wheel alignment');
      expect(finding(assessment.findings, 'FR').params.issues).not.toContain('TIRE_UNEVEN_WEAR');
    });

    it('does not guess uneven wear early on, when the tread change seen is below a few 0.1 mm steps', () => {
      // 20 days x 35 km = 665 km. True wear 0.03-0.06 mm read in 0.1 mm steps: the front left reads 8.0,
      // then 7.9 from day 6, the front right stays at 8.0: fitted rates of ~0.15 and exactly 0.
      const readings = Array.from({ length: 20 }, (_, day) => day).flatMap((day) => {
        const km = 20_000 + day * 35;
        const at = daysAgo(20 - day);
        return [
          { position: 'FL' as const, ts: at, odometerKm: km, treadMm: day < 6 ? 8.0 : 7.9, source: 'DEVICE' as const },
          { position: 'FR' as const, ts: at, odometerKm: km, treadMm: 8.0, source: 'DEVICE' as const },
        ];
      });
      const { assessment } = sut.assess(aHistory({ tireReadings: readings }), undefined, NOW);
      expect(assessment.findings.some((f) => String(f.params.issues).includes('TIRE_UNEVEN_WEAR'))).toBe(false);
      expect(assessment.risk).not.toBe('SOON');
      expect(['OK', 'WATCH']).toContain(assessment.risk);
    });

    it('WHEEL_ALIGNMENT resets the uneven-wear finding', () => {
      const history = axle();
      history.serviceEvents = [event('WHEEL_ALIGNMENT', daysAgo(10))];
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'FL').params.issues).not.toContain('TIRE_UNEVEN_WEAR');
    });
  });

  describe('pressure', () => {
    it('finds a slow leak on one wheel through a shared day/night temperature swing', () => {
      const history = aHistory({ tireReadings: pressureReadings({ days: 10, temperatureSwingKpa: 15, noiseKpa: 2, leakKpaPerDay: { FL: 4 } }) });
      const { assessment } = sut.assess(history, undefined, NOW);
      const fl = finding(assessment.findings, 'FL');
      expect(fl.code).toBe('TIRE_SLOW_LEAK');
      expect(fl.risk).toBe('SOON');
      expect(fl.params.lossKpaPerDay).toBeCloseTo(4, 0);
      expect(assessment.findings.filter((f) => f.code === 'TIRE_SLOW_LEAK').map((f) => f.subject)).toEqual(['FL']);
    });

    it("sees a 3 kPa/day leak within 4 days of its start against the wheel's own history and its partner", () => {
      const onset = daysAgo(4);
      const readings = pressureReadings({ days: 24, temperatureSwingKpa: 15, noiseKpa: 2 }).map((r) =>
        r.position === 'RR' && r.ts > onset ? { ...r, pressureKpa: (r.pressureKpa ?? 0) - (3 * (r.ts.getTime() - onset.getTime())) / DAY_MS } : r,
      );
      const { assessment } = sut.assess(aHistory({ tireReadings: readings }), undefined, NOW);
      const rr = finding(assessment.findings, 'RR');
      expect(rr).toMatchObject({ code: 'TIRE_SLOW_LEAK', risk: 'SOON' });
      expect(rr.params.lostAgainstPartnerKpa).toBeGreaterThanOrEqual(9);
      expect(rr.message).toMatch(/Rear right tyre has lost \d+(\.\d)? kPa against the rear left one over the last [2-5] days/);
      expect(assessment.findings.filter((f) => f.code === 'TIRE_SLOW_LEAK').map((f) => f.subject)).toEqual(['RR']);
    });

    it('keeps a healthy car with noisy sensors and day/night swings OK over 30 days', () => {
      const history = aHistory({ tireReadings: pressureReadings({ days: 30, temperatureSwingKpa: 20, noiseKpa: 3 }) });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(assessment.findings).toEqual([]);
    });

    it('does not call a cold night a leak when all tyres drop together', () => {
      const history = aHistory({ tireReadings: pressureReadings({ days: 10, temperatureSwingKpa: 25, noiseKpa: 2 }) });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(assessment.findings).toEqual([]);
      expect(assessment.risk).toBe('OK');
    });

    it('is CRITICAL on a fast leak', () => {
      const history = aHistory({ tireReadings: pressureReadings({ days: 3, perDay: 24, leakKpaPerDay: { RR: 40 } }) });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'RR')).toMatchObject({ code: 'TIRE_SLOW_LEAK', risk: 'CRITICAL' });
    });

    it('PUNCTURE_REPAIR resets the leak finding', () => {
      const history = aHistory({
        tireReadings: pressureReadings({ days: 10, leakKpaPerDay: { FL: 4 } }).filter((r) => r.ts.getTime() < daysAgo(2).getTime()),
        serviceEvents: [event('PUNCTURE_REPAIR', daysAgo(2), ['FL'])],
      });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(assessment.findings.some((f) => f.code === 'TIRE_SLOW_LEAK')).toBe(false);
    });

    it('flags an under-inflated tyre against the other three', () => {
      const history = aHistory({ tireReadings: pressureReadings({ days: 2, offsetKpa: { RL: -55 } }) });
      const { assessment } = sut.assess(history, undefined, NOW);
      // 185 vs 240: 23 % below
      expect(finding(assessment.findings, 'RL')).toMatchObject({ code: 'TIRE_UNDER_INFLATED', risk: 'SOON' });
      expect(finding(assessment.findings, 'RL').params.deficitPct).toBe(23);
    });
  });

  describe('state and bad data', () => {
    it('remembers inspections that left the window, and a re-run changes nothing', () => {
      const first = sut.assess(twoInspections(), undefined, NOW);
      const later = new Date(NOW.getTime() + 40 * DAY_MS);
      const second = sut.assess(aHistory(), first.state, later);
      expect(finding(second.assessment.findings, 'FL').params.wearMmPer1000Km).toBeCloseTo(0.1, 9);
      expect(sut.assess(twoInspections(), first.state, NOW).state).toEqual(first.state);
      expect(JSON.parse(JSON.stringify(first.state))).toEqual(first.state);
    });

    it('continues from a state saved in the first shape (ISO-dated objects) exactly as from the compact one', () => {
      const first = sut.assess(twoInspections(), undefined, NOW);
      const compact = first.state;
      if (compact?.schemaVersion !== 2) throw new Error('the model writes the compact state');
      const v1: TireModelStateV1 = {
        schemaVersion: 1,
        treadReadings: compact.tread.map(([position, source, tsMs, odometerKm, treadMm]) => ({
          position,
          source: source === 'D' ? 'DEVICE' : 'INSPECTION',
          day: new Date(tsMs).toISOString().slice(0, 10),
          ts: new Date(tsMs).toISOString(),
          odometerKm,
          treadMm,
        })),
        events: compact.events,
      };
      expect(v1.treadReadings).toHaveLength(8);
      const later = new Date(NOW.getTime() + 40 * DAY_MS);
      expect(sut.assess(aHistory(), v1, later)).toEqual(sut.assess(aHistory(), compact, later));
    });

    it('survives odometer rollbacks, jumps, out-of-order and implausible readings', () => {
      const samples = drivingTo(30_000, 40);
      samples[100] = { ...samples[100], odometerKm: 3 };
      samples[200] = { ...samples[200], odometerKm: 999_999 };
      const shuffled = [...samples.slice(0, 50).reverse(), ...samples.slice(50)];
      const history = { ...twoInspections(), samples: shuffled };
      history.tireReadings = [...history.tireReadings, inspection('FL', 29_000, 42, daysAgo(3)), inspection('FL', 29_000, -1, daysAgo(3))];
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(finding(assessment.findings, 'FL').params.daysTo3mm).toBe(750);
      expect(assessment.evidence.rejectedTreadReadings).toBe(2);
      expect(assessment.evidence.odometerDropped).toMatchObject({ rollback: 1, jump: 1 });
    });
  });

  describe('properties', () => {
    const wheelHistory = (startTread: number, wearPer1000: number, extraWear: number): VehicleHistory =>
      aHistory({
        tireReadings: [0, 1, 2, 3].map((i) =>
          inspection('FL', 10_000 + i * 5_000, startTread - i * 5 * wearPer1000 - (i === 3 ? extraWear : 0), daysAgo(300 - i * 90)),
        ),
      });

    it('more wear never means more remaining km', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 6, max: 9, noNaN: true }),
          fc.double({ min: 0.01, max: 0.25, noNaN: true }),
          fc.double({ min: 0, max: 1, noNaN: true }),
          (start, rate, extra) => {
            const km = (h: VehicleHistory): number => Number(finding(sut.assess(h, undefined, NOW).assessment.findings, 'FL').params.kmTo3mm);
            expect(km(wheelHistory(start, rate, extra))).toBeLessThanOrEqual(km(wheelHistory(start, rate, 0)));
          },
        ),
      );
    });

    it('a healthy series never goes URGENT', () => {
      fc.assert(
        fc.property(
          fc.double({ min: 5, max: 9, noNaN: true }),
          fc.double({ min: 0, max: 0.15, noNaN: true }),
          fc.double({ min: 10, max: 120, noNaN: true }),
          fc.double({ min: 0, max: 20, noNaN: true }),
          (start, rate, kmPerDay, swing) => {
            const endKm = 40_000;
            const history = aHistory({
              samples: drivingTo(endKm, kmPerDay),
              tireReadings: [
                ...[0, 1, 2].flatMap((i) =>
                  onAllWheels((w) => inspection(w, endKm - 10_000 + i * 5_000, start - i * 5 * rate, daysAgo(200 - i * 99))),
                ),
                ...pressureReadings({ days: 7, temperatureSwingKpa: swing, noiseKpa: 3 }),
              ],
            });
            const { assessment } = sut.assess(history, undefined, NOW);
            // Healthy: >= 3.5 mm left, ordinary wear, even pressures. Near 3 mm it may well be SOON, never URGENT.
            expect(['URGENT', 'CRITICAL']).not.toContain(assessment.risk);
            expect(assessment.findings.filter((f) => f.code !== 'TIRE_TREAD_WEAR')).toEqual([]);
          },
        ),
        { numRuns: 40 },
      );
    });

    it('forecast date is monotonic in daily distance', () => {
      fc.assert(
        fc.property(fc.double({ min: 5, max: 200, noNaN: true }), fc.double({ min: 5, max: 200, noNaN: true }), (a, b) => {
          const [slow, fast] = a <= b ? [a, b] : [b, a];
          const due = (kmPerDay: number): number => {
            const history = { ...twoInspections(), samples: drivingTo(30_000, kmPerDay) };
            return sut.assess(history, undefined, NOW).assessment.dueAt?.getTime() ?? Number.POSITIVE_INFINITY;
          };
          expect(due(fast)).toBeLessThanOrEqual(due(slow));
        }),
        { numRuns: 30 },
      );
    });
  });

  // Plain node runs 10,800 samples + 43,200 pressures in ~26 ms; jest's sandbox is 2-3x slower, so the
  // budget is checked here on a sample every 30 s.
});
