// Pure: which reminders a vehicle's current findings open, move or close. No database, no clock.
import type { ComponentName, Finding } from '#app/maintenance';
import { type Risk, riskRank } from '#app/maintenance/vocabulary';
import type { ActiveStatus } from '#app/notifications';

/** The lowest risk an owner is told about; WATCH stays in the app's health view. */
const REMINDABLE: ReadonlySet<Risk> = new Set(['SOON', 'URGENT', 'CRITICAL']);
const DAY_MS = 86_400_000;
/** A due date moving by less than this share of the time left is forecast noise, not news. */
const DUE_SHIFT_SHARE = 0.1;

/** One finding of a stored prediction, with the forecast the reminder carries. */
export interface CurrentFinding {
  component: ComponentName;
  finding: Finding;
  dueAt: Date | null;
  dueOdometerKm: number | null;
}

export interface ActiveReminder {
  id: string;
  dedupKey: string;
  component: ComponentName;
  status: ActiveStatus;
  risk: Risk;
  dueAt: Date | null;
  version: number;
}

export interface EvaluationInput {
  vehicleId: string;
  findings: readonly CurrentFinding[];
  /** Components that have a stored prediction: a reminder of an unscored component is left alone. */
  scoredComponents: ReadonlySet<ComponentName>;
  active: readonly ActiveReminder[];
  now: Date;
}

export type ReminderAction =
  | { kind: 'create'; dedupKey: string; current: CurrentFinding }
  | {
      kind: 'update';
      reminder: ActiveReminder;
      current: CurrentFinding;
      /** The risk went up and the status lets the owner hear about it now. */
      notifyNow: boolean;
      /** A snoozed reminder that turned CRITICAL is woken up (OPEN again). */
      wake: boolean;
    }
  | { kind: 'close'; reminder: ActiveReminder; reason: string };

export function dedupKeyOf(vehicleId: string, component: ComponentName, finding: Pick<Finding, 'code' | 'subject'>): string {
  return `${vehicleId}:${component}:${finding.code}:${finding.subject}`;
}

/**
 * Compares the findings of the latest score with the vehicle's active reminders. Running it again on
 * the same inputs after applying its actions yields no actions (the evaluation is idempotent).
 */
export function evaluateReminders(input: EvaluationInput): ReminderAction[] {
  const wanted = new Map<string, CurrentFinding>();
  for (const current of input.findings) {
    if (!REMINDABLE.has(current.finding.risk)) continue;
    const key = dedupKeyOf(input.vehicleId, current.component, current.finding);
    const seen = wanted.get(key);
    // Two findings with one key (should not happen): the worse one speaks for both.
    if (seen === undefined || riskRank(current.finding.risk) > riskRank(seen.finding.risk)) wanted.set(key, current);
  }
  const belowSoon = new Map<string, Risk>();
  for (const current of input.findings) {
    if (!REMINDABLE.has(current.finding.risk)) belowSoon.set(dedupKeyOf(input.vehicleId, current.component, current.finding), current.finding.risk);
  }

  const actions: ReminderAction[] = [];
  const handled = new Set<string>();
  for (const reminder of input.active) {
    const current = wanted.get(reminder.dedupKey);
    if (current === undefined) {
      if (!input.scoredComponents.has(reminder.component)) continue;
      const lower = belowSoon.get(reminder.dedupKey);
      actions.push({ kind: 'close', reminder, reason: lower === undefined ? 'finding gone' : `risk fell to ${lower}` });
      continue;
    }
    if (handled.has(reminder.dedupKey)) {
      // A second active reminder for one need (written before the rule held): keep the first only.
      actions.push({ kind: 'close', reminder, reason: 'duplicate' });
      continue;
    }
    handled.add(reminder.dedupKey);
    if (!forecastMoved(reminder, current, input.now)) continue;
    const riskUp = riskRank(current.finding.risk) > riskRank(reminder.risk);
    const wake = riskUp && reminder.status === 'SNOOZED' && current.finding.risk === 'CRITICAL';
    const notifyNow = riskUp && (reminder.status === 'OPEN' || reminder.status === 'ACKNOWLEDGED' || wake);
    actions.push({ kind: 'update', reminder, current, notifyNow, wake });
  }
  for (const [dedupKey, current] of wanted) {
    if (!handled.has(dedupKey)) actions.push({ kind: 'create', dedupKey, current });
  }
  return actions;
}

/** Risk changed, or the due date appeared, vanished or moved by more than a day and 10 % of the time left. */
export function forecastMoved(reminder: Pick<ActiveReminder, 'risk' | 'dueAt'>, current: CurrentFinding, now: Date): boolean {
  if (reminder.risk !== current.finding.risk) return true;
  const before = reminder.dueAt;
  const after = current.dueAt;
  if (before === null || after === null) return before !== after;
  const shift = Math.abs(after.getTime() - before.getTime());
  const left = Math.max(0, before.getTime() - now.getTime());
  return shift > DAY_MS && shift > left * DUE_SHIFT_SHARE;
}
