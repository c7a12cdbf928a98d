import fc from 'fast-check';
import type { Finding, VehicleHistory } from '../maintenance-model.js';
import { DAY_MS, drivingSamples } from '../odometer/driving-history.factory.js';
import { aHistory, aProfile, daysAgo, drivingTo, event, NOW } from '../tires/tire-history.factory.js';
import { addMonths } from './calendar.js';
import { ServiceScheduleModel } from './service-schedule.model.js';

const item = (findings: Finding[], id: string): Finding => {
  const f = findings.find((x) => x.subject === id);
  if (f === undefined) throw new Error(`no finding for ${id}`);
  return f;
};
const oilChange = (at: Date, km?: number) => event('OIL_CHANGE', at, undefined, km);
/** Every item recently done, so a test looks at one item at a time. */
const allDone = (km: number, at = daysAgo(30)) =>
  (['AIR_FILTER', 'BRAKE_SERVICE', 'COOLANT_SERVICE', 'TIRE_ROTATION', 'GENERAL_INSPECTION'] as const).map((k) => event(k, at, undefined, km));

describe(ServiceScheduleModel.name, () => {
  const sut = new ServiceScheduleModel();

  describe('oil service', () => {
    it('is due by distance: 600 km left at 40 km/day is 15 days, SOON', () => {
      const history = aHistory({ samples: drivingTo(34_400, 40), serviceEvents: [oilChange(daysAgo(90), 20_000), ...allDone(33_000)] });
      const { assessment } = sut.assess(history, undefined, NOW);
      const oil = item(assessment.findings, 'oil');
      expect(oil).toMatchObject({ code: 'SERVICE_DUE', risk: 'SOON' });
      expect(oil.params).toMatchObject({ dueOdometerKm: 35_000, remainingKm: 600, daysLeft: 15, limitedBy: 'distance' });
      expect(assessment.dueAt?.getTime()).toBe(NOW.getTime() + 15 * DAY_MS);
      expect(assessment.dueOdometerKm).toBe(35_000);
      expect(assessment.risk).toBe('SOON');
    });

    it('is due by time when the months run out first', () => {
      const changed = addMonths(new Date(NOW.getTime() + 20 * DAY_MS), -12);
      const history = aHistory({ samples: drivingTo(31_200, 40), serviceEvents: [oilChange(changed, 30_000), ...allDone(31_000)] });
      const { assessment } = sut.assess(history, undefined, NOW);
      const oil = item(assessment.findings, 'oil');
      expect(oil.params).toMatchObject({ limitedBy: 'time', daysLeft: 20, remainingKm: 13_800 });
      expect(oil.risk).toBe('SOON');
      expect(oil.message).toContain('whichever comes first');
    });

    it('is URGENT when overdue and CRITICAL when more than half an interval overdue', () => {
      const at = (months: number): VehicleHistory =>
        aHistory({ samples: drivingTo(31_200, 40), serviceEvents: [oilChange(addMonths(NOW, -months), 30_000), ...allDone(31_000)] });
      expect(item(sut.assess(at(13), undefined, NOW).assessment.findings, 'oil').risk).toBe('URGENT');
      expect(item(sut.assess(at(19), undefined, NOW).assessment.findings, 'oil').risk).toBe('CRITICAL');
      const byKm = aHistory({ samples: drivingTo(53_000, 40), serviceEvents: [oilChange(daysAgo(100), 30_000), ...allDone(52_000)] });
      const oil = item(sut.assess(byKm, undefined, NOW).assessment.findings, 'oil');
      // 8,000 km past a 15,000 km interval: 53 % overdue
      expect(oil.risk).toBe('CRITICAL');
      expect(oil.message).toContain('overdue by 8,000 km');
    });

    it('without a record, counts from the first known odometer and date, says so, and stays at most WATCH', () => {
      // First seen 30 days ago at 48,800 km; a short 1,500 km interval brings the assumed due point near.
      const history = aHistory({
        profile: aProfile({ oilServiceIntervalKm: 1_500, oilServiceIntervalMonths: 12 }),
        samples: drivingTo(50_000, 40),
        serviceEvents: allDone(49_000),
      });
      const { assessment } = sut.assess(history, undefined, NOW);
      const oil = item(assessment.findings, 'oil');
      // first point 48,800 km -> due at 50,300, 300 km left (SOON), capped to WATCH because assumed
      expect(oil.params).toMatchObject({ baselineAssumed: 'yes', dueOdometerKm: 50_300, remainingKm: 300 });
      expect(oil.risk).toBe('WATCH');
      expect(oil.message).toContain('no record');
      expect(assessment.confidence).toMatchObject({ kind: 'interval', low: 0 });
    });

    it('places an oil change recorded without odometer on the telemetry odometer', () => {
      const samples = drivingTo(34_000, 40);
      const history = aHistory({ samples, serviceEvents: [oilChange(new Date(samples[100].ts)), ...allDone(33_000)] });
      const oil = item(sut.assess(history, undefined, NOW).assessment.findings, 'oil');
      expect(oil.params.dueOdometerKm).toBe(Math.round((samples[100].odometerKm ?? 0) + 15_000));
    });
  });

  describe('other items', () => {
    it('has no oil or air filter for an electric car', () => {
      const history = aHistory({ profile: aProfile({ fuelType: 'ELECTRIC' }), samples: drivingTo(20_000) });
      const ids = sut.assess(history, undefined, NOW).assessment.findings.map((f) => f.subject);
      expect(ids).toEqual(['brake-fluid', 'coolant', 'tire-rotation', 'inspection']);
    });

    it('brake fluid every 2 years, tyre rotation every 10,000 km', () => {
      const history = aHistory({
        samples: drivingTo(39_500, 40),
        serviceEvents: [
          oilChange(daysAgo(10), 39_000),
          event('BRAKE_SERVICE', addMonths(new Date(NOW.getTime() + 10 * DAY_MS), -24)),
          event('TIRE_ROTATION', daysAgo(200), undefined, 30_000),
          // a single new tyre does not restart the rotation count
          event('TIRE_REPLACEMENT', daysAgo(20), ['FL'], 38_700),
        ],
      });
      const { findings } = sut.assess(history, undefined, NOW).assessment;
      expect(item(findings, 'brake-fluid')).toMatchObject({ risk: 'SOON', params: { daysLeft: 10, limitedBy: 'time' } });
      expect(item(findings, 'tire-rotation')).toMatchObject({ risk: 'SOON', params: { remainingKm: 500 } });
    });
  });

  describe('forecast interval', () => {
    it('brackets the expected date with the daily-distance spread', () => {
      const samples = drivingSamples({
        start: new Date('2026-10-01T00:00:00Z'),
        days: 30,
        startKm: 30_000,
        kmPerDay: (d) => [10, 80, 30, 0, 120, 45, 15][d % 7] + d,
      });
      // The oil service (8,000-ish km left) is the next item due, so the assessment's interval is about it.
      const history = aHistory({ samples, serviceEvents: [oilChange(daysAgo(60), 25_000), ...allDone(31_500, daysAgo(5))] });
      const { assessment } = sut.assess(history, undefined, NOW);
      if (assessment.confidence.kind !== 'interval') throw new Error('expected an interval');
      const oil = item(assessment.findings, 'oil');
      expect(assessment.dueAt?.toISOString().slice(0, 10)).toBe(oil.params.dueDate);
      const daysLeft = Number(oil.params.daysLeft);
      expect(assessment.confidence.low).toBeLessThan(daysLeft);
      expect(assessment.confidence.high).toBeGreaterThan(daysLeft);
      expect(assessment.confidence.unit).toBe('days');
    });
  });

  describe('too little or bad data', () => {
    it('with three days of telemetry: no daily distance, due by km only, nothing above WATCH', () => {
      const history = aHistory({ samples: drivingTo(50_000, 40, 3) });
      const { assessment } = sut.assess(history, undefined, NOW);
      expect(assessment.evidence.dailyDistance).toMatchObject({ insufficient: expect.stringContaining('whole day') });
      expect(item(assessment.findings, 'air-filter').params).not.toHaveProperty('daysLeft');
      expect(['OK', 'WATCH']).toContain(assessment.risk);
    });

    it('with nothing at all: no findings and insufficient data', () => {
      const { assessment } = sut.assess(aHistory(), undefined, NOW);
      expect(assessment.findings).toEqual([]);
      expect(assessment.confidence.kind).toBe('insufficient-data');
    });

    it('is not fooled by odometer glitches', () => {
      const samples = drivingTo(34_400, 40);
      samples[50] = { ...samples[50], odometerKm: 0 };
      samples[120] = { ...samples[120], odometerKm: 900_000 };
      samples[samples.length - 1] = { ...samples[samples.length - 1], odometerKm: 12 };
      const history = aHistory({ samples: [...samples].reverse(), serviceEvents: [oilChange(daysAgo(90), 20_000), ...allDone(33_000)] });
      const oil = item(sut.assess(history, undefined, NOW).assessment.findings, 'oil');
      expect(oil.params).toMatchObject({ daysLeft: 15 });
      expect(Number(oil.params.remainingKm)).toBeCloseTo(600, -1);
    });
  });

  describe('state', () => {
    it('remembers the last service and the first-seen baseline after they leave the window', () => {
      const first = sut.assess(aHistory({ samples: drivingTo(34_400, 40), serviceEvents: [oilChange(daysAgo(90), 20_000)] }), undefined, NOW);
      const later = new Date(NOW.getTime() + 60 * DAY_MS);
      const laterSamples = drivingSamples({ start: new Date(later.getTime() - 31 * DAY_MS), days: 30, startKm: 35_000, kmPerDay: 40 });
      const second = sut.assess(aHistory({ samples: laterSamples }), first.state, later);
      expect(item(second.assessment.findings, 'oil').params).toMatchObject({ baselineAssumed: 'no', dueOdometerKm: 35_000 });
      expect(second.state.firstKnown).toEqual(first.state.firstKnown);
      expect(
        sut.assess(aHistory({ samples: drivingTo(34_400, 40), serviceEvents: [oilChange(daysAgo(90), 20_000)] }), first.state, NOW).state,
      ).toEqual(first.state);
    });
  });

  describe('properties', () => {
    it('forecast date is monotonic in daily distance', () => {
      fc.assert(
        fc.property(fc.double({ min: 1, max: 300, noNaN: true }), fc.double({ min: 1, max: 300, noNaN: true }), (a, b) => {
          const [slow, fast] = a <= b ? [a, b] : [b, a];
          const oilDue = (kmPerDay: number): number => {
            const history = aHistory({ samples: drivingTo(40_000, kmPerDay), serviceEvents: [oilChange(daysAgo(1), 39_000)] });
            const d = sut.assess(history, undefined, NOW).assessment.evidence.items;
            return (d as { oil: { days: { expected: number } } }).oil.days.expected;
          };
          expect(oilDue(fast)).toBeLessThanOrEqual(oilDue(slow));
        }),
        { numRuns: 30 },
      );
    });

    it('more distance since the service never means more km left or a better risk', () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 30_000 }), fc.integer({ min: 0, max: 30_000 }), (a, b) => {
          const [less, more] = a <= b ? [a, b] : [b, a];
          const oil = (driven: number): Finding =>
            item(
              sut.assess(aHistory({ samples: drivingTo(20_000 + driven, 40), serviceEvents: [oilChange(daysAgo(60), 20_000)] }), undefined, NOW)
                .assessment.findings,
              'oil',
            );
          const [x, y] = [oil(less), oil(more)];
          expect(Number(y.params.remainingKm)).toBeLessThanOrEqual(Number(x.params.remainingKm));
          const rank = ['OK', 'WATCH', 'SOON', 'URGENT', 'CRITICAL'];
          expect(rank.indexOf(y.risk)).toBeGreaterThanOrEqual(rank.indexOf(x.risk));
        }),
        { numRuns: 30 },
      );
    });
  });
});
