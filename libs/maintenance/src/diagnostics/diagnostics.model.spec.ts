import fc from 'fast-check';
import type { TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import { riskRank } from '../common/risk-scale.js';
import { assessIncrementally, READ_BEFORE_HORIZON_MS, summaryHorizonMs, type SavedSummary } from '../incremental/index.js';
import { DiagnosticsModel, type DiagnosticsState, type DiagnosticsSummary } from './diagnostics.model.js';
import { describeDtc, KNOWN_DTC_COUNT } from './dtc-catalog.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 9, 1);

/** One report per day at noon; `codes(d)` undefined means the sample carried no dtcs field. */
function reports(days: number, codes: (day: number) => string[] | undefined): TelemetryPoint[] {
  return Array.from({ length: days }, (_, d) => ({ ts: new Date(START + d * DAY + 12 * 3_600_000), rpm: 800, dtcs: codes(d) }));
}

function history(samples: TelemetryPoint[]): VehicleHistory {
  return {
    profile: { make: 'Opel', model: 'Astra', year: 2015, fuelType: 'PETROL', oilServiceIntervalKm: 15000, oilServiceIntervalMonths: 12 },
    samples,
    tireReadings: [],
    serviceEvents: [],
  };
}

const endOf = (n: number): Date => new Date(START + n * DAY);

describe(DiagnosticsModel.name, () => {
  const sut = new DiagnosticsModel();

  it('reports OK when the car reports no codes', () => {
    const { assessment } = sut.assess(history(reports(5, () => [])), undefined, endOf(5));

    expect(assessment.risk).toBe('OK');
    expect(assessment.findings).toEqual([]);
    expect(assessment.health).toBe(100);
  });

  it('explains each active code as its own finding, the worst one setting the risk', () => {
    const { assessment } = sut.assess(history(reports(3, () => ['P0420', 'P0302'])), undefined, endOf(3));

    expect(assessment.findings.map((f) => [f.subject, f.risk])).toEqual([
      ['P0302', 'URGENT'],
      ['P0420', 'WATCH'],
    ]);
    expect(assessment.risk).toBe('URGENT');
    expect(assessment.findings[0].message).toContain('misfire in cylinder 2');
    expect(assessment.findings[0].params).toMatchObject({
      dtc: 'P0302',
      since: new Date(START + 12 * 3_600_000).toISOString(),
      daysSeen: 3,
      known: 1,
    });
    expect(assessment.dueAt).toEqual(endOf(3));
  });

  it.each([
    ['P0217', 'CRITICAL'],
    ['P0128', 'SOON'],
    ['P0171', 'SOON'],
    ['P0455', 'WATCH'],
    ['P0562', 'SOON'],
    ['P0700', 'SOON'],
  ])('rates %s as %s', (code, risk) => {
    expect(sut.assess(history(reports(1, () => [code])), undefined, endOf(1)).assessment.risk).toBe(risk);
  });

  it('gives unknown codes a generic message by letter', () => {
    const { assessment } = sut.assess(history(reports(1, () => ['c1234', 'U0100', 'B2AAA'])), undefined, endOf(1));

    expect(assessment.findings.map((f) => [f.subject, f.risk, f.params.known])).toEqual([
      ['B2AAA', 'WATCH', 0],
      ['C1234', 'SOON', 0],
      ['U0100', 'WATCH', 0],
    ]);
    expect(assessment.findings[1].message).toContain('Manufacturer-specific chassis');
  });

  it('takes the latest report as the truth: cleared codes are no longer active', () => {
    const { assessment } = sut.assess(history(reports(5, (d) => (d < 4 ? ['P0128'] : []))), undefined, endOf(5));

    expect(assessment.evidence.activeCodes).toEqual([]);
    expect(assessment.findings).toEqual([expect.objectContaining({ code: 'DTC_INTERMITTENT', subject: 'P0128', risk: 'WATCH' })]);
  });

  it('uses the latest report even when samples arrive out of order', () => {
    const samples = reports(3, (d) => (d === 2 ? [] : ['P0300'])).reverse();

    const { assessment } = sut.assess(history(samples), undefined, endOf(3));

    expect(assessment.evidence.activeCodes).toEqual([]);
    expect(assessment.findings.map((f) => f.code)).toEqual(['DTC_INTERMITTENT']);
  });

  it('keeps the first-seen time of an active code across runs', () => {
    const previous: DiagnosticsState = { firstSeen: { P0171: '2026-08-01T00:00:00.000Z', P0420: '2026-08-02T00:00:00.000Z' } };

    const { assessment, state } = sut.assess(history(reports(2, () => ['P0171'])), previous, endOf(2));

    expect(state.firstSeen).toEqual({ P0171: '2026-08-01T00:00:00.000Z' });
    expect(assessment.findings[0].params.since).toBe('2026-08-01T00:00:00.000Z');
  });

  it('ignores malformed codes and says there were some', () => {
    const { assessment } = sut.assess(history(reports(1, () => ['P03', 'hello', 'P0301'])), undefined, endOf(1));

    expect(assessment.findings.map((f) => f.subject)).toEqual(['P0301']);
    expect(assessment.evidence.malformedCodes).toBe(2);
  });

  it('says so when the device never reported codes', () => {
    const { assessment } = sut.assess(history(reports(3, () => undefined)), undefined, endOf(3));

    expect(assessment.confidence).toMatchObject({ kind: 'insufficient-data' });
    expect(assessment.risk).toBe('OK');
  });

  it('knows at least 40 common codes', () => {
    expect(KNOWN_DTC_COUNT).toBeGreaterThanOrEqual(40);
  });

  describe('properties', () => {
    const code = fc
      .tuple(fc.constantFrom('P', 'C', 'B', 'U'), fc.integer({ min: 0, max: 0x3fff }))
      .map(([l, n]) => `${l}${n.toString(16).toUpperCase().padStart(4, '0')}`);

    it('gives every well-formed code a message', () => {
      fc.assert(fc.property(code, (c) => expect(describeDtc(c).title.length).toBeGreaterThan(0)));
    });

    it('never lowers the risk when another code becomes active', () => {
      fc.assert(
        fc.property(fc.array(code, { maxLength: 5 }), code, (codes, extra) => {
          const risk = (cs: string[]) => riskRank(sut.assess(history(reports(1, () => cs)), undefined, endOf(1)).assessment.risk);
          expect(risk([...codes, extra])).toBeGreaterThanOrEqual(risk(codes));
        }),
      );
    });
  });
});

describe(`${DiagnosticsModel.name} incremental`, () => {
  const sut = new DiagnosticsModel();

  it('gives the same answer scored day by day from its saved summary as from the whole window, past the 30-day horizon', () => {
    // 45 days: a code comes and goes, another stays on from day 20; four reports a day, one drive each.
    const samples: TelemetryPoint[] = [];
    for (let d = 0; d < 45; d++) {
      for (let h = 0; h < 4; h++) {
        const codes = [...(d % 9 === 3 ? ['P0302'] : []), ...(d >= 20 ? ['P0171'] : []), ...(d === 5 ? ['bad'] : [])];
        samples.push({ ts: new Date(START + d * DAY + (8 + 3 * h) * 3_600_000), rpm: 900, dtcs: codes });
      }
    }
    let saved: SavedSummary<DiagnosticsSummary> | null = null;
    let incrementalState: DiagnosticsState | undefined;
    let fullState: DiagnosticsState | undefined;
    let last: DiagnosticsSummary | null = null;
    for (let d = 1; d <= 45; d++) {
      const now = endOf(d);
      const since = saved?.closedUntilMs ?? -Infinity;
      const fresh = samples.filter((p) => p.ts.getTime() > since && p.ts.getTime() <= now.getTime());
      const { samples: _all, ...context } = history([]);
      const step = assessIncrementally(sut, saved, fresh, context, incrementalState, now);
      const window = samples.filter((p) => p.ts.getTime() >= summaryHorizonMs(now) - READ_BEFORE_HORIZON_MS && p.ts.getTime() <= now.getTime());
      const full = sut.assess(history(window), fullState, now);

      expect(step.assessment).toEqual(full.assessment);
      saved = JSON.parse(JSON.stringify(step.saved)) as SavedSummary<DiagnosticsSummary>;
      incrementalState = step.state;
      fullState = full.state;
      last = saved.summary;
      if (d === 45) expect(full.assessment.findings.map((f) => `${f.code}:${f.subject}`)).toEqual(['DTC_ACTIVE:P0171', 'DTC_INTERMITTENT:P0302']);
    }
    expect(last?.latest?.codes).toEqual(['P0171']);
    expect(JSON.stringify(saved).length).toBeLessThan(4_000);
  });
});
