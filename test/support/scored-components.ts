// What a score hands the prediction store (ScoredComponent), built from the few values the scoring-store tests vary:
// test/worker/prediction-store.e2e.ts (a car alone) and test/worker/batched-scoring.e2e.ts (cars in one statement).
import type { ComponentAssessment, ComponentName, Risk } from '#app/maintenance';
import type { ScoredComponent } from '../../apps/worker/src/scoring/prediction.store.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface Scored {
  health?: number;
  risk?: Risk;
  dueAt?: Date;
  /** False: a model without a summary (no `saved`). */
  summary?: boolean;
  /** The score says its state and summary did not change: the stored ones stay (they do not travel). */
  unchanged?: boolean;
  /**
   * The health in the evidence, findings, explanation and summary too, so two cars scored alike but for their health
   * differ in every value a batched statement could mix up between them.
   */
  byHealth?: boolean;
}

export function scoredComponent(
  component: ComponentName,
  { health = 90, risk = 'OK', dueAt, summary = true, unchanged = false, byHealth = false }: Scored,
): ScoredComponent {
  const tagged: Record<string, number> = byHealth ? { health } : {};
  const assessment: ComponentAssessment = {
    component,
    modelVersion: `${component.toLowerCase()}/1`,
    health,
    risk,
    ...(dueAt ? { dueAt } : {}),
    confidence: { kind: 'probability', value: 0.9 },
    evidence: { warmMedianC: 90.4, drives: 12, note: 'ok', flags: [true, null], ...tagged },
    explanation: byHealth ? `${component} at ${health}.` : `${component} looks fine.`,
    findings: [{ code: `${component}_OK`, subject: '', risk, message: 'Nothing to do.', params: { km: 120, ...tagged } }],
  };
  return {
    assessment,
    state: { baseline: health },
    ...(summary
      ? {
          saved: {
            summaryVersion: `${component.toLowerCase()}-summary/1`,
            closedUntilMs: 1_700_000_000_000 + (byHealth ? health : 0),
            summary: { days: { '2026-12-01': [1, 2.5] }, ...tagged },
          },
        }
      : {}),
    ...(unchanged ? { stateChanged: false, summaryChanged: false } : {}),
  };
}
