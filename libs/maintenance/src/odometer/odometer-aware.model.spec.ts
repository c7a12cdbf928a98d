import {
  RISKS,
  type Finding,
  type MaintenanceModel,
  type Risk,
  type TelemetryPoint,
  type TireReadingPoint,
  type VehicleHistory,
} from '../maintenance-model.js';
import { ServiceScheduleModel } from '../service-schedule/service-schedule.model.js';
import { aHistory, daysAgo, drivingTo, event, inspection, NOW, onAllWheels, START } from '../tires/tire-history.factory.js';
import { TireWearModel } from '../tires/tire-wear.model.js';
import { DAY_MS, drivingSamples } from './driving-history.factory.js';
import { OdometerAwareModel } from './odometer-aware.model.js';
import { shiftServiceScheduleState, shiftTireState } from './odometer-state-shifts.js';

const JUMP_DAY = 20;
const eventTs = new Date(START.getTime() + JUMP_DAY * DAY_MS);
/** From JUMP_DAY on, the odometer reads `change(km)`: a cluster swap, a reset, a dongle glitch. */
const withOdometerChange = (samples: TelemetryPoint[], change: (km: number) => number): TelemetryPoint[] =>
  samples.map((s) => (s.ts.getTime() >= eventTs.getTime() && s.odometerKm !== undefined ? { ...s, odometerKm: change(s.odometerKm) } : s));
const jumped = (samples: TelemetryPoint[]): TelemetryPoint[] => withOdometerChange(samples, (km) => km + 100_000);
// The drive of day 19 ends at 29,600 km (drivingTo(30_000, 40)); the new cluster starts from 0.
const rolledBack = (samples: TelemetryPoint[]): TelemetryPoint[] => withOdometerChange(samples, (km) => km - 29_600);

const rank = (risk: Risk): number => RISKS.indexOf(risk);
const worst = (findings: Finding[]): number => Math.max(0, ...findings.map((f) => rank(f.risk)));

/** 8.0 mm long ago, 6.0 mm at an inspection before the odometer event (typed from the old cluster). */
const tyreInspections = (): TireReadingPoint[] => [
  ...onAllWheels((w) => inspection(w, 10_000, 8.0, daysAgo(400))),
  ...onAllWheels((w) => inspection(w, 29_440, 6.0, new Date(START.getTime() + 15.5 * DAY_MS))),
];
const tyreHistory = (samples: TelemetryPoint[]): VehicleHistory => aHistory({ samples, tireReadings: tyreInspections() });

describe(OdometerAwareModel.name, () => {
  const tires = new OdometerAwareModel(new TireWearModel(), shiftTireState);
  const schedule = new OdometerAwareModel(new ServiceScheduleModel(), shiftServiceScheduleState);

  describe('tyres', () => {
    const control = tires.assess(tyreHistory(drivingTo(30_000, 40)), undefined, NOW).assessment;

    it('turned every wheel URGENT on a +100,000 km jump without it (the bug this fixes)', () => {
      const bare = new TireWearModel().assess(tyreHistory(jumped(drivingTo(30_000, 40))), undefined, NOW).assessment;

      expect(rank(bare.risk)).toBeGreaterThanOrEqual(rank('URGENT'));
    });

    it('skips a +100,000 km jump: same forecast in days as without it, due odometer on the new baseline, the event in the evidence', () => {
      const sut = tires.assess(tyreHistory(jumped(drivingTo(30_000, 40))), undefined, NOW).assessment;

      expect(control.risk).toBe('OK');
      expect(sut.risk).toBe(control.risk);
      expect(sut.findings.map((f) => f.params.daysTo3mm)).toEqual(control.findings.map((f) => f.params.daysTo3mm));
      expect(sut.dueOdometerKm).toBe((control.dueOdometerKm ?? Number.NaN) + 100_000);
      expect(sut.evidence.odometerEvents).toEqual([
        expect.objectContaining({ kind: 'JUMP', deltaKm: 100_000, fromKm: 29_600, toKm: 129_600, confirmed: false }),
      ]);
      expect(JSON.stringify(sut.evidence.odometerEvents)).toContain('odometer jumped by 100,000 km on 21 Oct');
    });

    it('skips a rollback to zero: no URGENT, forecast in days kept, due odometer on the new baseline', () => {
      const sut = tires.assess(tyreHistory(rolledBack(drivingTo(30_000, 40))), undefined, NOW).assessment;

      expect(worst(sut.findings)).toBeLessThan(rank('SOON'));
      expect(sut.findings.map((f) => f.params.daysTo3mm)).toEqual(control.findings.map((f) => f.params.daysTo3mm));
      expect(sut.dueOdometerKm).toBe((control.dueOdometerKm ?? Number.NaN) - 29_600);
      expect(sut.evidence.odometerEvents).toEqual([expect.objectContaining({ kind: 'ROLLBACK', deltaKm: -29_600 })]);
    });

    it('keeps skipping the jump after it has left the 30-day window (the saved state is moved once)', () => {
      const run = (change: (s: TelemetryPoint[]) => TelemetryPoint[]) => {
        const all = change(drivingSamples({ start: START, days: 70, kmPerDay: 150, startKm: 20_000, samplesPerDrive: 150 }));
        // One device tread reading a day, 0.15 mm per 1,000 km from 7.5 mm, to 0.1 mm: only the state keeps the old ones.
        const tread = (day: number): number => Math.round((7.5 - (0.15 * 150 * day) / 1000) * 10) / 10;
        let state: ReturnType<typeof tires.assess>['state'] | undefined;
        let last = tires.assess(aHistory(), undefined, START).assessment;
        const risks: Risk[] = [];
        for (let day = 1; day <= 70; day++) {
          const now = new Date(START.getTime() + day * DAY_MS);
          const from = now.getTime() - 30 * DAY_MS;
          const inWindow = (ts: Date): boolean => ts.getTime() > from && ts.getTime() <= now.getTime();
          const readings = onAllWheels((w) => ({
            position: w,
            ts: new Date(now.getTime() - 15 * 3_600_000),
            treadMm: tread(day),
            source: 'DEVICE' as const,
          }));
          const window = aHistory({ samples: all.filter((s) => inWindow(s.ts)), tireReadings: readings.filter((r) => inWindow(r.ts)) });
          const result = tires.assess(window, state, now);
          state = result.state;
          last = result.assessment;
          risks.push(last.risk);
        }
        return { last, risks };
      };
      const plain = run((s) => s);
      const sut = run(jumped);

      expect(sut.risks.some((r) => rank(r) >= rank('SOON'))).toBe(false);
      expect(sut.risks).toEqual(plain.risks);
      expect(sut.last.dueOdometerKm).toBe((plain.last.dueOdometerKm ?? Number.NaN) + 100_000);
      expect(sut.last.dueAt).toEqual(plain.last.dueAt);
      expect(sut.last.evidence.odometerEvents).toEqual([expect.objectContaining({ kind: 'JUMP', deltaKm: 100_000 })]);
    });
  });

  describe('service schedule', () => {
    const history = (samples: TelemetryPoint[]): VehicleHistory =>
      aHistory({ samples, serviceEvents: [event('OIL_CHANGE', daysAgo(90), undefined, 20_000)] });
    const oil = (model: MaintenanceModel, samples: TelemetryPoint[]): Finding | undefined =>
      model.assess(history(samples), undefined, NOW).assessment.findings.find((f) => f.subject === 'oil');
    const control = oil(schedule, drivingTo(30_000, 40));

    it('would call the oil change overdue by 95,000 km without it', () => {
      expect(oil(new ServiceScheduleModel(), jumped(drivingTo(30_000, 40)))?.risk).toBe('CRITICAL');
    });

    it.each([
      ['jump', jumped, 100_000],
      ['rollback', rolledBack, -29_600],
    ] as const)('counts the kilometres left across a %s as if it had not happened, on the new baseline', (_kind, change, deltaKm) => {
      const sut = oil(schedule, change(drivingTo(30_000, 40)));

      expect(control?.params).toMatchObject({ remainingKm: 5_000, dueOdometerKm: 35_000 });
      expect(sut?.risk).toBe(control?.risk);
      expect(sut?.params.remainingKm).toBe(5_000);
      expect(sut?.params.dueOdometerKm).toBe(35_000 + deltaKm);
    });
  });

  describe('a change confirmed by staff', () => {
    it('is the new baseline at once (no wait for agreeing readings) and shows who confirmed it', () => {
      // Only two readings after the jump: too few for the cleaner to believe it on its own.
      const samples = jumped(drivingTo(30_000, 40)).filter((s) => s.ts.getTime() < eventTs.getTime() + 8 * 3_600_000 + 2 * 60_000);
      const now = new Date(eventTs.getTime() + 12 * 3_600_000);
      const base = { samples, tireReadings: tyreInspections() };
      const unconfirmed = tires.assess(aHistory(base), undefined, now).assessment;
      const correction = {
        effectiveAt: new Date(eventTs.getTime() + 8 * 3_600_000),
        odometerKm: 129_600,
        confirmedBy: 'staff@example.test',
        confirmedAt: now,
      };

      const sut = tires.assess(aHistory({ ...base, odometerCorrections: [correction] }), undefined, now).assessment;

      expect(unconfirmed.evidence.odometerEvents).toEqual([]);
      expect(unconfirmed.evidence.currentOdometerKm).toBeLessThan(100_000);
      expect(sut.evidence.currentOdometerKm).toBeGreaterThan(129_600);
      expect(sut.evidence.odometerEvents).toEqual([expect.objectContaining({ kind: 'JUMP', confirmed: true, confirmedBy: 'staff@example.test' })]);
      expect(worst(sut.findings)).toBeLessThan(rank('SOON'));
    });
  });
});
