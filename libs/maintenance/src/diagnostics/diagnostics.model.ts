// Diagnostics: the trouble codes (DTCs) the car itself reports, explained for the owner.
//
// Approach. The device sends the list of active codes with a sample; the latest sample that carries a
// `dtcs` field is the current truth (an empty list means the codes were cleared or fixed themselves).
// Each active code becomes one finding (subject = the code, so a reminder is per code), with the
// severity and plain meaning from dtc-catalog.ts. A code that came and went on 2+ days of the window
// is reported as intermittent (WATCH): faults often start that way. When each code was first seen is
// kept in the state, so "active since" survives the bounded history window. Malformed codes are
// counted and ignored, never shown to owners.
import type { ComponentAssessment, Finding, ModelResult, Risk, VehicleHistory } from '../maintenance-model.js';
import { healthFor, maxRisk } from '../common/risk-scale.js';
import { isoDay, utcDay } from '../common/telemetry-sessions.js';
import { assessInFull, type DecisionContext, type IncrementalModel, type TelemetrySegment } from '../incremental/index.js';
import { describeDtc, DTC_PATTERN } from './dtc-catalog.js';

export interface DiagnosticsState {
  /** Code -> ISO time it was first seen active (dropped once the code is no longer active). */
  firstSeen: Record<string, string>;
}

/** What the decision needs from the reports, kept per UTC day of the segment they came in. */
export interface DiagnosticsSummary {
  days: Record<string, DiagnosticsDay>;
  /** The latest report: the current truth. */
  latest: { ms: number; day: number; codes: string[] } | null;
  /** Code -> ms of the first report of its current unbroken stretch (codes of the latest report only). */
  stretchStart: Record<string, number>;
}

interface DiagnosticsDay {
  reports: number;
  malformed: number;
  /** Time of the day's first report: where an unbroken stretch is cut when older days leave the window. */
  firstReportMs: number;
  codes: string[];
}

const MODEL_HEALTH: Record<Risk, number> = { OK: 100, WATCH: 80, SOON: 55, URGENT: 25, CRITICAL: 5 };

export class DiagnosticsModel implements IncrementalModel<DiagnosticsSummary, DiagnosticsState> {
  readonly component = 'DIAGNOSTICS' as const;
  readonly version = 'diagnostics/1.0.0';
  readonly summaryVersion = 'diagnostics-summary/1';

  assess(history: VehicleHistory, previousState: DiagnosticsState | undefined, now: Date): ModelResult<DiagnosticsState> {
    return assessInFull(this, history, previousState, now);
  }

  emptySummary(): DiagnosticsSummary {
    return { days: {}, latest: null, stretchStart: {} };
  }

  fold(summary: DiagnosticsSummary, segment: TelemetrySegment): DiagnosticsSummary {
    const dayNumber = utcDay(segment.startMs);
    for (const report of segment.samples) {
      if (report.dtcs === undefined) continue;
      const ms = report.ts.getTime();
      const day = (summary.days[dayNumber] ??= { reports: 0, malformed: 0, firstReportMs: ms, codes: [] });
      const { codes, malformed } = normalise(report.dtcs);
      day.reports++;
      day.malformed += malformed;
      for (const code of codes) if (!day.codes.includes(code)) day.codes.push(code);
      const stretch: Record<string, number> = {};
      for (const code of codes) stretch[code] = summary.stretchStart[code] ?? ms;
      summary.stretchStart = stretch;
      summary.latest = { ms, day: dayNumber, codes };
    }
    return summary;
  }

  prune(summary: DiagnosticsSummary, horizonMs: number): DiagnosticsSummary {
    const horizonDay = utcDay(horizonMs);
    summary.days = Object.fromEntries(Object.entries(summary.days).filter(([day]) => Number(day) >= horizonDay));
    if (summary.latest !== null && summary.latest.day < horizonDay) {
      summary.latest = null;
      summary.stretchStart = {};
    }
    // A stretch that began before the window starts, for the window, at its first report.
    const firstInWindow = Math.min(...Object.values(summary.days).map((d) => d.firstReportMs));
    if (Number.isFinite(firstInWindow))
      for (const code of Object.keys(summary.stretchStart)) summary.stretchStart[code] = Math.max(summary.stretchStart[code], firstInWindow);
    return summary;
  }

  decide(
    summary: DiagnosticsSummary,
    _context: DecisionContext,
    previousState: DiagnosticsState | undefined,
    now: Date,
  ): ModelResult<DiagnosticsState> {
    const latest = summary.latest;
    if (latest === null) {
      return {
        assessment: {
          component: this.component,
          modelVersion: this.version,
          health: 100,
          risk: 'OK',
          confidence: { kind: 'insufficient-data', reason: 'The device has not reported trouble codes in this period.' },
          evidence: { reports: 0 },
          explanation: 'No trouble-code reports from the car yet.',
          findings: [],
        },
        state: { firstSeen: previousState?.firstSeen ?? {} },
      };
    }

    const seenDays = new Map<string, number[]>();
    let reports = 0;
    let malformedCodes = 0;
    for (const [day, facts] of Object.entries(summary.days)) {
      reports += facts.reports;
      malformedCodes += facts.malformed;
      for (const code of facts.codes) {
        let days = seenDays.get(code);
        if (!days) seenDays.set(code, (days = []));
        days.push(Number(day));
      }
    }
    const active = [...latest.codes].sort();

    const firstSeen: Record<string, string> = {};
    for (const code of active) firstSeen[code] = previousState?.firstSeen[code] ?? new Date(summary.stretchStart[code] ?? latest.ms).toISOString();

    const findings: Finding[] = active.map((code) => activeFinding(code, firstSeen[code], seenDays.get(code)?.length ?? 1));
    for (const [code, days] of seenDays) {
      if (active.includes(code) || days.length < 2) continue;
      findings.push(intermittentFinding(code, days.length));
    }

    const risk = maxRisk(...findings.map((f) => f.risk));
    const assessment: ComponentAssessment = {
      component: this.component,
      modelVersion: this.version,
      health: healthFor(risk, MODEL_HEALTH[risk] - Math.max(0, active.length - 1) * 3),
      risk,
      ...(risk === 'CRITICAL' || risk === 'URGENT' ? { dueAt: now } : {}),
      confidence: { kind: 'probability', value: active.length > 0 ? 0.95 : 0.8 },
      evidence: {
        activeCodes: active,
        lastReportAt: new Date(latest.ms).toISOString(),
        reports,
        codesSeen: Object.fromEntries([...seenDays].map(([code, days]) => [code, days.sort((a, b) => a - b).map(isoDay)])),
        malformedCodes,
      },
      explanation: explain(active, findings, risk),
      findings,
    };
    return { assessment, state: { firstSeen } };
  }
}

/** Well-formed codes of one report, upper-cased and once each; the rest are counted, never shown. */
function normalise(raw: readonly string[]): { codes: string[]; malformed: number } {
  const valid = new Set<string>();
  let malformed = 0;
  for (const text of raw) {
    const code = text.trim().toUpperCase();
    if (DTC_PATTERN.test(code)) valid.add(code);
    else malformed++;
  }
  return { codes: [...valid], malformed };
}

function activeFinding(code: string, since: string, days: number): Finding {
  const meaning = describeDtc(code);
  return {
    code: 'DTC_ACTIVE',
    subject: code,
    risk: meaning.risk,
    message: `${meaning.title} (code ${code}). ${meaning.advice}`,
    params: { dtc: code, title: meaning.title, since, daysSeen: days, known: meaning.known ? 1 : 0 },
  };
}

function intermittentFinding(code: string, days: number): Finding {
  const meaning = describeDtc(code);
  return {
    code: 'DTC_INTERMITTENT',
    subject: code,
    risk: 'WATCH',
    message: `${meaning.title} (code ${code}) came and went on ${days} days. It is not active now, but intermittent faults often return: mention it at the next service.`,
    params: { dtc: code, title: meaning.title, daysSeen: days },
  };
}

function explain(active: readonly string[], findings: readonly Finding[], risk: Risk): string {
  if (active.length === 0)
    return findings.length === 0 ? 'The car reports no trouble codes.' : 'No trouble codes are active now, but some appeared recently.';
  const worst = findings.find((f) => f.risk === risk) ?? findings[0];
  const more = active.length > 1 ? ` ${active.length} codes are active in total.` : '';
  return `${worst.message}${more}`;
}
