import { compareWorstFirst, type Rankable, riskRank, worstRisk } from './risk-order.model.js';

const component = (overrides: Partial<Rankable> = {}): Rankable => ({
  component: 'BATTERY',
  risk: 'OK',
  health: 90,
  dueAt: null,
  ...overrides,
});

describe(compareWorstFirst.name, () => {
  it('puts the higher risk first whatever the health', () => {
    const sut = [component({ component: 'A', risk: 'WATCH', health: 10 }), component({ component: 'B', risk: 'URGENT', health: 80 })];

    expect(sut.sort(compareWorstFirst).map((c) => c.component)).toEqual(['B', 'A']);
  });

  it('breaks a risk tie by lower health, then earlier due date, undated last', () => {
    const sut = [
      component({ component: 'UNDATED', risk: 'SOON', health: 50 }),
      component({ component: 'LATER', risk: 'SOON', health: 50, dueAt: new Date('2027-03-01T00:00:00Z') }),
      component({ component: 'SOONER', risk: 'SOON', health: 50, dueAt: '2027-01-01T00:00:00.000Z' }),
      component({ component: 'SICKER', risk: 'SOON', health: 40 }),
    ];

    expect(sut.sort(compareWorstFirst).map((c) => c.component)).toEqual(['SICKER', 'SOONER', 'LATER', 'UNDATED']);
  });
});

describe(worstRisk.name, () => {
  it('returns the highest risk on the scale, or null for none', () => {
    expect(worstRisk(['WATCH', 'CRITICAL', 'SOON'])).toBe('CRITICAL');
    expect(worstRisk([])).toBeNull();
    expect(riskRank('OK')).toBeLessThan(riskRank('WATCH'));
  });
});
