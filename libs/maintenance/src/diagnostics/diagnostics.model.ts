// Diagnostics: the trouble codes (DTCs) the car itself reports, explained for the owner.
//
// Approach. The device sends the list of active codes with a sample; the latest sample that carries a
// `dtcs` field is the current truth (an empty list means the codes were cleared or fixed themselves).
// Each active code becomes one finding (subject = the code, so a reminder is per code), with the
// severity and plain meaning from dtc-catalog.ts. A code that came and went on 2+ days of the window
// is reported as intermittent (WATCH): faults often start that way. When each code was first seen is
// kept in the state, so "active since" survives the bounded history window. Malformed codes are
// counted and ignored, never shown to owners.
import type { ComponentAssessment, Finding, MaintenanceModel, ModelResult, Risk, TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import { healthFor, maxRisk } from '../common/risk-scale.js';
import { cleanSamples, isoDay, utcDay } from '../common/telemetry-sessions.js';
import { describeDtc, DTC_PATTERN } from './dtc-catalog.js';

export interface DiagnosticsState {
  /** Code -> ISO time it was first seen active (dropped once the code is no longer active). */
  firstSeen: Record<string, string>;
}

const MODEL_HEALTH: Record<Risk, number> = { OK: 100, WATCH: 80, SOON: 55, URGENT: 25, CRITICAL: 5 };

export class DiagnosticsModel implements MaintenanceModel<DiagnosticsState> {
  readonly component = 'DIAGNOSTICS' as const;
  readonly version = 'diagnostics/1.0.0';

  assess(history: VehicleHistory, previousState: DiagnosticsState | undefined, now: Date): ModelResult<DiagnosticsState> {
    const { samples } = cleanSamples(history.samples, now);
    const reports = samples.filter((p) => p.dtcs !== undefined);
    const latest = reports[reports.length - 1];
    if (latest === undefined) {
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

    let malformed = 0;
    const normalise = (codes: readonly string[]): string[] => {
      const valid = new Set<string>();
      for (const raw of codes) {
        const code = raw.trim().toUpperCase();
        if (DTC_PATTERN.test(code)) valid.add(code);
        else malformed++;
      }
      return [...valid];
    };
    const seenDays = daysSeen(reports, normalise);
    // Counted once, over every report; later calls re-read the same reports.
    const malformedCodes = malformed;
    const active = normalise(latest.dtcs ?? []).sort();

    const firstSeen: Record<string, string> = {};
    for (const code of active) firstSeen[code] = previousState?.firstSeen[code] ?? firstReportOf(code, reports, normalise) ?? latest.ts.toISOString();

    const findings: Finding[] = active.map((code) => activeFinding(code, firstSeen[code], seenDays.get(code)?.size ?? 1));
    for (const [code, days] of seenDays) {
      if (active.includes(code) || days.size < 2) continue;
      findings.push(intermittentFinding(code, days.size));
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
        lastReportAt: latest.ts.toISOString(),
        reports: reports.length,
        codesSeen: Object.fromEntries([...seenDays].map(([code, days]) => [code, [...days].sort().map(isoDay)])),
        malformedCodes,
      },
      explanation: explain(active, findings, risk),
      findings,
    };
    return { assessment, state: { firstSeen } };
  }
}

function daysSeen(reports: readonly TelemetryPoint[], normalise: (codes: readonly string[]) => string[]): Map<string, Set<number>> {
  const seen = new Map<string, Set<number>>();
  for (const report of reports) {
    const day = utcDay(report.ts.getTime());
    for (const code of normalise(report.dtcs ?? [])) {
      let days = seen.get(code);
      if (!days) seen.set(code, (days = new Set()));
      days.add(day);
    }
  }
  return seen;
}

/** Start of the current unbroken stretch of reports that contain `code`. */
function firstReportOf(code: string, reports: readonly TelemetryPoint[], normalise: (codes: readonly string[]) => string[]): string | undefined {
  let since: string | undefined;
  for (const report of reports) {
    if (normalise(report.dtcs ?? []).includes(code)) since ??= report.ts.toISOString();
    else since = undefined;
  }
  return since;
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
