// Pure: which reminders a vehicle's current findings open, move or close. No database, no clock.
//
// A reminder stands for one service visit: the needs one trip fixes (every tyre need at the tyre shop, the
// service-schedule items due together) are items of one reminder, so four worn tyres are one reminder and one
// message per channel. A need that appears while the visit's reminder is active joins it as an item.
import type { ComponentName, Finding } from '#app/maintenance';
import { type Risk, riskRank } from '#app/maintenance/vocabulary';
import { type ActiveStatus, type ReminderItemStatus, type Visit, visitOf } from '#app/notifications';

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
  /** When the prediction was scored: a need marked done after it is not brought back by it. */
  scoredAt?: Date;
}

export interface ActiveItem {
  id: string;
  dedupKey: string;
  component: ComponentName;
  status: ReminderItemStatus;
  risk: Risk;
  dueAt: Date | null;
  closedAt: Date | null;
}

export interface ActiveReminder {
  id: string;
  visitKey: string;
  status: ActiveStatus;
  risk: Risk;
  version: number;
  items: readonly ActiveItem[];
}

export interface EvaluationInput {
  vehicleId: string;
  findings: readonly CurrentFinding[];
  /** Components that have a stored prediction: a need of an unscored component is left alone. */
  scoredComponents: ReadonlySet<ComponentName>;
  /** The vehicle's active reminders, oldest first. */
  active: readonly ActiveReminder[];
  now: Date;
}

export interface Need {
  dedupKey: string;
  current: CurrentFinding;
}

/** What happens to one need of an active reminder. */
export type NeedChange =
  | { kind: 'add'; need: Need }
  /** Marked done or gone before, and the latest score shows it again. */
  | { kind: 'reopen'; item: ActiveItem; need: Need }
  | { kind: 'move'; item: ActiveItem; need: Need }
  | { kind: 'close'; item: ActiveItem; reason: string };

export type ReminderAction =
  | { kind: 'create'; visitKey: string; visit: Visit | null; needs: Need[] }
  | {
      kind: 'update';
      reminder: ActiveReminder;
      changes: NeedChange[];
      /** The visit's risk (its worst open need) after the changes. */
      risk: Risk;
      /** The visit's risk went up and the status lets the owner hear about it now. */
      notifyNow: boolean;
      /** A snoozed reminder that turned CRITICAL is woken up (OPEN again). */
      wake: boolean;
    }
  | { kind: 'close'; reminder: ActiveReminder; reason: string; changes: NeedChange[] };

export function dedupKeyOf(vehicleId: string, component: ComponentName, finding: Pick<Finding, 'code' | 'subject'>): string {
  return `${vehicleId}:${component}:${finding.code}:${finding.subject}`;
}

/** The visit a need is fixed at: shared by a component's needs when one trip fixes them all, else the need's own. */
export function visitKeyOf(vehicleId: string, component: ComponentName, finding: Pick<Finding, 'code' | 'subject'>): string {
  const visit = visitOf(component);
  return visit === null ? dedupKeyOf(vehicleId, component, finding) : `${vehicleId}:visit:${visit}`;
}

/**
 * Compares the findings of the latest score with the vehicle's active reminders. Running it again on
 * the same inputs after applying its actions yields no actions (the evaluation is idempotent).
 *
 * Who hears about a change: a new visit is told on every channel the owner chose. A need joining an active
 * visit, or its figures moving, updates the reminder (the app shows it at once, the next repeat names it) and
 * is told at once only when it raises the visit's risk: the owner's task (one trip, by when) changes only then.
 */
export function evaluateReminders(input: EvaluationInput): ReminderAction[] {
  const wanted = new Map<string, Map<string, CurrentFinding>>();
  const belowSoon = new Map<string, Risk>();
  for (const current of input.findings) {
    const dedupKey = dedupKeyOf(input.vehicleId, current.component, current.finding);
    if (!REMINDABLE.has(current.finding.risk)) {
      belowSoon.set(dedupKey, current.finding.risk);
      continue;
    }
    const visitKey = visitKeyOf(input.vehicleId, current.component, current.finding);
    const needs = wanted.get(visitKey) ?? new Map<string, CurrentFinding>();
    const seen = needs.get(dedupKey);
    // Two findings with one key (should not happen): the worse one speaks for both.
    if (seen === undefined || riskRank(current.finding.risk) > riskRank(seen.finding.risk)) needs.set(dedupKey, current);
    wanted.set(visitKey, needs);
  }

  const actions: ReminderAction[] = [];
  const handled = new Set<string>();
  for (const reminder of input.active) {
    const needs = wanted.get(reminder.visitKey) ?? new Map<string, CurrentFinding>();
    if (handled.has(reminder.visitKey)) {
      // A second active reminder of one visit (one per wheel, written before visits): its open needs are
      // already in the first one (the wanted needs went there), so it closes.
      const changes = reminder.items.filter((item) => item.status === 'OPEN').map((item): NeedChange => ({ kind: 'close', item, reason: 'merged' }));
      actions.push({ kind: 'close', reminder, reason: 'merged into the visit', changes });
      continue;
    }
    handled.add(reminder.visitKey);
    const changes = needChanges(reminder, needs, input, belowSoon);
    const openAfter = openRisksAfter(reminder, changes);
    if (openAfter.length === 0) {
      if (changes.length === 0) continue;
      const closes = changes.filter((change) => change.kind === 'close');
      const only = closes.length === 1 ? closes[0] : undefined;
      actions.push({ kind: 'close', reminder, reason: only?.kind === 'close' ? only.reason : 'needs gone', changes });
      continue;
    }
    if (changes.length === 0) continue;
    const risk = openAfter.reduce((a, b) => (riskRank(b) > riskRank(a) ? b : a));
    const riskUp = riskRank(risk) > riskRank(reminder.risk);
    const wake = riskUp && reminder.status === 'SNOOZED' && risk === 'CRITICAL';
    const notifyNow = riskUp && (reminder.status === 'OPEN' || reminder.status === 'ACKNOWLEDGED' || wake);
    actions.push({ kind: 'update', reminder, changes, risk, notifyNow, wake });
  }
  for (const [visitKey, needs] of wanted) {
    if (handled.has(visitKey)) continue;
    const [first] = needs.values();
    if (first === undefined) continue;
    actions.push({
      kind: 'create',
      visitKey,
      visit: visitOf(first.component),
      needs: [...needs].map(([dedupKey, current]) => ({ dedupKey, current })),
    });
  }
  return actions;
}

function needChanges(
  reminder: ActiveReminder,
  needs: ReadonlyMap<string, CurrentFinding>,
  input: EvaluationInput,
  belowSoon: ReadonlyMap<string, Risk>,
): NeedChange[] {
  const changes: NeedChange[] = [];
  const items = new Map(reminder.items.map((item) => [item.dedupKey, item]));
  for (const [dedupKey, current] of needs) {
    const item = items.get(dedupKey);
    const need = { dedupKey, current };
    if (item === undefined) changes.push({ kind: 'add', need });
    else if (item.status !== 'OPEN') {
      // Done after this prediction was scored: the rescore the done asked for has not run yet.
      const stale = item.closedAt !== null && current.scoredAt !== undefined && current.scoredAt.getTime() <= item.closedAt.getTime();
      if (!stale) changes.push({ kind: 'reopen', item, need });
    } else if (forecastMoved(item, current, input.now)) changes.push({ kind: 'move', item, need });
  }
  for (const item of reminder.items) {
    if (item.status !== 'OPEN' || needs.has(item.dedupKey) || !input.scoredComponents.has(item.component)) continue;
    const lower = belowSoon.get(item.dedupKey);
    changes.push({ kind: 'close', item, reason: lower === undefined ? 'finding gone' : `risk fell to ${lower}` });
  }
  return changes;
}

/** The risks of the needs open once the changes apply. */
function openRisksAfter(reminder: ActiveReminder, changes: readonly NeedChange[]): Risk[] {
  const changed = new Map<string, NeedChange>();
  for (const change of changes) changed.set(change.kind === 'add' ? change.need.dedupKey : change.item.dedupKey, change);
  const risks: Risk[] = [];
  for (const item of reminder.items) {
    const change = changed.get(item.dedupKey);
    if (change === undefined) {
      if (item.status === 'OPEN') risks.push(item.risk);
    } else if (change.kind !== 'close' && change.kind !== 'add') risks.push(change.need.current.finding.risk);
  }
  for (const change of changes) if (change.kind === 'add') risks.push(change.need.current.finding.risk);
  return risks;
}

/** Risk changed, or the due date appeared, vanished or moved by more than a day and 10 % of the time left. */
export function forecastMoved(before: Pick<ActiveItem, 'risk' | 'dueAt'>, current: CurrentFinding, now: Date): boolean {
  if (before.risk !== current.finding.risk) return true;
  const was = before.dueAt;
  const after = current.dueAt;
  if (was === null || after === null) return was !== after;
  const shift = Math.abs(after.getTime() - was.getTime());
  const left = Math.max(0, was.getTime() - now.getTime());
  return shift > DAY_MS && shift > left * DUE_SHIFT_SHARE;
}
