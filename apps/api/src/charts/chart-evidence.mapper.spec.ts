import { coolantFromEvidence, dailyFromEvidence, leakFinding, treadProjection } from './chart-evidence.mapper.js';
import { MAX_POINTS_PER_SERIES, pressureBucketHours } from './vehicle-charts.service.js';

const window = { fromDay: '2026-11-01', toDay: '2026-12-06' };

describe(dailyFromEvidence.name, () => {
  it('takes each day from the newest score that reports it, in day order, scaled and within the window', () => {
    const sut = dailyFromEvidence(
      [
        {
          scoredAt: new Date('2026-12-05T10:00:00Z'),
          evidence: {
            dailyRatios: [
              { day: '2026-12-03', ratio: 1.05 },
              { day: '2026-12-04', ratio: 1.1 },
            ],
          },
        },
        {
          scoredAt: new Date('2026-12-01T10:00:00Z'),
          evidence: {
            dailyRatios: [
              { day: '2026-10-01', ratio: 0.9 },
              { day: '2026-11-30', ratio: 1 },
              { day: '2026-12-03', ratio: 1.01 },
            ],
          },
        },
      ],
      'dailyRatios',
      'ratio',
      window,
      '%',
      100,
    );
    expect(sut).toEqual({
      unit: '%',
      points: [
        ['2026-11-30', 100],
        ['2026-12-03', 105],
        ['2026-12-04', 110],
      ],
    });
  });

  it('skips what is not a daily array of numbers: a changed model leaves a gap, not an error', () => {
    const sut = dailyFromEvidence(
      [
        { scoredAt: new Date(), evidence: { daily: 'n/a' } },
        { scoredAt: new Date(), evidence: { daily: [{ day: 'yesterday', restingV: 12 }, { day: '2026-12-01', restingV: null }, null, 3] } },
        { scoredAt: new Date(), evidence: null },
      ],
      'daily',
      'restingV',
      window,
      'V',
    );
    expect(sut.points).toEqual([]);
  });
});

describe(coolantFromEvidence.name, () => {
  it('turns the forecast in days from the score into dates, with the interval level of the confidence', () => {
    const scoredAt = new Date('2026-12-01T00:00:00Z');
    const sut = coolantFromEvidence(
      {
        scoredAt,
        evidence: { baseline: { medianC: 91 }, forecastDaysToDanger: { eta: 10, low: 5, high: 20 } },
        confidence: { kind: 'interval', unit: 'days', level: 0.8 },
      },
      105,
    );
    expect(sut).toEqual({
      baselineC: 91,
      dangerC: 105,
      forecast: { expectedAt: '2026-12-11T00:00:00.000Z', earliestAt: '2026-12-06T00:00:00.000Z', latestAt: '2026-12-21T00:00:00.000Z', level: 0.8 },
    });
  });

  it('has no forecast and the default danger line without a prediction', () => {
    expect(coolantFromEvidence(undefined, 105)).toEqual({ baselineC: null, dangerC: 105, forecast: null });
  });
});

describe(treadProjection.name, () => {
  const limits = { recommended: 3, legal: 1.6 };

  it('draws the line from the current odometer through 3.0 mm to 1.6 mm', () => {
    const evidence = { currentOdometerKm: 10_000, wheels: { RL: { kmTo3mm: 7_000, kmTo1_6mm: 14_000 } } };
    expect(treadProjection(evidence, 'RL', limits)).toEqual([
      [10_000, 4.4],
      [17_000, 3],
      [24_000, 1.6],
    ]);
  });

  it('has none without both distances', () => {
    expect(treadProjection({ currentOdometerKm: 10_000, wheels: { RL: { kmTo3mm: 7_000, kmTo1_6mm: null } } }, 'RL', limits)).toBeNull();
    expect(treadProjection(undefined, 'RL', limits)).toBeNull();
  });
});

describe(leakFinding.name, () => {
  it('picks the worst leak finding of the wheel and ignores other codes and wheels', () => {
    const findings = [
      { code: 'TIRE_SLOW_LEAK', subject: 'FL', risk: 'WATCH', message: 'a' },
      { code: 'TIRE_SLOW_LEAK', subject: 'FL', risk: 'URGENT', message: 'b' },
      { code: 'TIRE_TREAD_WEAR', subject: 'FL', risk: 'CRITICAL', message: 'c' },
      { code: 'TIRE_SLOW_LEAK', subject: 'RR', risk: 'CRITICAL', message: 'd' },
    ];
    expect(leakFinding(findings, 'FL')).toEqual({ code: 'TIRE_SLOW_LEAK', risk: 'URGENT', message: 'b' });
    expect(leakFinding(findings, 'FR')).toBeNull();
  });
});

describe(pressureBucketHours.name, () => {
  it.each([
    [1, 1],
    [16, 1],
    [17, 2],
    [90, 6],
    [120, 8],
    [365, 24],
  ])('buckets %i days by the smallest width within the point budget: %i h', (days, hours) => {
    expect(pressureBucketHours(days)).toBe(hours);
    expect((days * 24) / hours).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });
});
