// Which cars the call list shows, pure (no clock: `now` is passed). A call that was handled holds the car off the
// list for a while; a worse prediction since the call brings it back at once, whatever the hold.

import { RISKS } from '#app/maintenance/vocabulary';
import type { CallOutcomeKind, Risk } from '#app/database';

const DAY_MS = 24 * 3_600_000;

// Every outcome the database knows, once: a Record over the enum type fails to compile when one is added or dropped.
const OUTCOME_SET: Readonly<Record<CallOutcomeKind, true>> = { CALLED: true, NO_ANSWER: true, BOOKED: true, DECLINED: true, CALL_AGAIN: true };
export const CALL_OUTCOMES = Object.keys(OUTCOME_SET) as [CallOutcomeKind, ...CallOutcomeKind[]];

/**
 * How long each outcome holds a car off the list, when nothing got worse:
 * - NO_ANSWER: a day, so the next shift tries again (not the same hour: the owner is driving or at work);
 * - CALLED (talked, nothing decided): a week for the owner to think it over;
 * - BOOKED: 30 days: the appointment's completion records the service and rescores the car, which then leaves
 *   the list by itself; one still listed a month later is a booking that did not happen;
 * - DECLINED: 30 days: the owner said no to this need; asking again sooner is nagging;
 * - CALL_AGAIN: until the date the owner asked for (at most CALL_AGAIN_MAX_DAYS ahead).
 */
export const HOLD_DAYS: Readonly<Record<Exclude<CallOutcomeKind, 'CALL_AGAIN'>, number>> = {
  NO_ANSWER: 1,
  CALLED: 7,
  BOOKED: 30,
  DECLINED: 30,
};

/** The furthest ahead a CALL_AGAIN date may be set; also bounds how far back outcomes can matter. */
export const CALL_AGAIN_MAX_DAYS = 180;

/** Outcomes older than this can no longer hold a car (the longest hold), so they are not read. */
export const OUTCOME_HORIZON_MS = CALL_AGAIN_MAX_DAYS * DAY_MS;

/** The car's prediction as the call list ranks it: worst risk, earliest due date at that risk, its findings. */
export interface CallState {
  risk: Risk;
  dueAt: Date | null;
  /** `component:code:subject` of every current finding (findingKeys). */
  findingKeys: readonly string[];
}

/** The latest outcome recorded for the car, with the state the car was in when it was recorded. */
export interface LastOutcome {
  outcome: CallOutcomeKind;
  at: Date;
  callAgainAt: Date | null;
  stateAtCall: CallState;
}

export type Visibility =
  | { visible: true; reason: 'never-called' | 'hold-ended' | 'risk-rose' | 'new-finding' | 'became-overdue' }
  | { visible: false; reason: 'handled'; until: Date };

export type ResurfaceReason = Extract<Visibility, { visible: true }>['reason'];

export function callListVisibility(current: CallState, last: LastOutcome | null, now: Date): Visibility {
  if (last === null) return { visible: true, reason: 'never-called' };
  const worse = worseSince(current, last);
  if (worse !== null) return { visible: true, reason: worse };
  const until = holdUntil(last);
  if (until.getTime() <= now.getTime()) return { visible: true, reason: 'hold-ended' };
  // A due date that was still ahead at the call and has now passed is "due again" before the hold ends; except
  // after CALL_AGAIN, where the owner named the date knowing the need (a worse prediction still overrides it).
  if (last.outcome !== 'CALL_AGAIN' && becameOverdue(current, last, now)) return { visible: true, reason: 'became-overdue' };
  return { visible: false, reason: 'handled', until };
}

export function holdUntil(last: Pick<LastOutcome, 'outcome' | 'at' | 'callAgainAt'>): Date {
  if (last.outcome === 'CALL_AGAIN') {
    // The schema requires the date; a row without one (written by hand) holds nothing.
    return last.callAgainAt ?? last.at;
  }
  return new Date(last.at.getTime() + HOLD_DAYS[last.outcome] * DAY_MS);
}

function worseSince(current: CallState, last: LastOutcome): 'risk-rose' | 'new-finding' | null {
  if (RISKS.indexOf(current.risk) > RISKS.indexOf(last.stateAtCall.risk)) return 'risk-rose';
  const before = new Set(last.stateAtCall.findingKeys);
  if (current.findingKeys.some((key) => !before.has(key))) return 'new-finding';
  return null;
}

function becameOverdue(current: CallState, last: LastOutcome, now: Date): boolean {
  if (current.dueAt === null || current.dueAt.getTime() > now.getTime()) return false;
  const dueAtCall = last.stateAtCall.dueAt;
  return dueAtCall === null || dueAtCall.getTime() > last.at.getTime();
}

/** The unit a "new finding" is told apart by: the same key a reminder is deduplicated on, per component. */
export function findingKeys(predictions: readonly { component: string; findings: unknown }[]): string[] {
  const keys = new Set<string>();
  for (const prediction of predictions) {
    if (!Array.isArray(prediction.findings)) continue;
    for (const finding of prediction.findings as unknown[]) {
      if (typeof finding !== 'object' || finding === null) continue;
      const { code, subject } = finding as { code?: unknown; subject?: unknown };
      if (typeof code !== 'string') continue;
      keys.add(`${prediction.component}:${code}:${typeof subject === 'string' ? subject : ''}`);
    }
  }
  return [...keys].sort();
}

/** A car's state as the call list ranks it, from its current predictions; null for a car not scored yet. */
export function callStateOf(predictions: readonly { component: string; risk: Risk; dueAt: Date | null; findings: unknown }[]): CallState | null {
  if (predictions.length === 0) return null;
  const worst = Math.max(...predictions.map((prediction) => RISKS.indexOf(prediction.risk)));
  const dueTimes = predictions
    .filter((prediction) => RISKS.indexOf(prediction.risk) === worst && prediction.dueAt !== null)
    .map((prediction) => prediction.dueAt?.getTime() ?? Infinity);
  return {
    risk: RISKS[worst] ?? 'OK',
    dueAt: dueTimes.length === 0 ? null : new Date(Math.min(...dueTimes)),
    findingKeys: findingKeys(predictions),
  };
}
