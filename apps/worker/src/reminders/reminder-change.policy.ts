// Pure: whether evaluating a vehicle's reminders after a score could change anything. No database, no clock.
//
// Most cars of a fleet are healthy: no finding asks for a reminder and none is active, and the evaluation's
// transaction (an advisory lock, four reads, ~8 round trips) then decides nothing, every score. The worker skips
// it when this says no, and marks the car scored in the save's own statement instead.
//
// Why skipping is safe:
// - With no active reminder the evaluation can only create one (update and close act on active reminders), and it
//   creates exactly when `evaluateReminders` with `active: []` returns an action: that is the function asked below,
//   on the findings the saved predictions will show (`scoredFindingsOf`, the shape `currentFindingsOf` reads back).
// - "Active" is ACTIVE_STATUSES: OPEN, ACKNOWLEDGED, SNOOZED and BOOKED. A snoozed reminder is active, so a car with
//   one is always evaluated (its wake on a CRITICAL rise, its close when the need is gone). Nothing time-driven
//   waits on the evaluation: a snooze ends in the notification sweep (`snoozedUntil`), repeats follow `nextNotifyAt`,
//   and the policy reads `now` only to judge how far an active need's due date moved.
// - Only the worker's evaluation makes a reminder active (the API moves active ones between active statuses or to
//   DONE; a cancelled booking goes BOOKED -> OPEN, active to active). So the one race is another score of the car
//   creating a reminder after this score read "none active": this score does not close it, and the car's next score
//   sees it and closes it if its need is gone: at worst one score later, never lost.
// - The evaluation reads every stored prediction of the car, also of a component this score did not assess; when
//   the score does not cover every component, the answer is yes (this worker's models cover all of them).
import type { ComponentAssessment } from '#app/maintenance';
import { COMPONENTS } from '#app/maintenance/vocabulary';
import { scoredFindingsOf } from './reminder-content.mapper.js';
import { evaluateReminders } from './reminder-evaluation.policy.js';

export interface ReminderChangeInput {
  vehicleId: string;
  /** What the score is about to save, one assessment per component. */
  assessments: readonly ComponentAssessment[];
  /** The score's time, which the saved predictions carry as `scoredAt`. */
  scoredAt: Date;
  /** The vehicle has a reminder in an ACTIVE_STATUSES status (read with the score's start). */
  hasActiveReminder: boolean;
}

/** False only when the evaluation, run after the save, would find nothing to create, update or close. */
export function remindersMayChange({ vehicleId, assessments, scoredAt, hasActiveReminder }: ReminderChangeInput): boolean {
  if (hasActiveReminder) return true;
  const assessed = new Set(assessments.map((assessment) => assessment.component));
  if (!COMPONENTS.every((component) => assessed.has(component))) return true;
  const findings = scoredFindingsOf(assessments, scoredAt);
  return evaluateReminders({ vehicleId, findings, scoredComponents: assessed, active: [], now: scoredAt }).length > 0;
}
