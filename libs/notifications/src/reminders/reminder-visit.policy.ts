// Pure: what a reminder that stands for one service visit says, from the state of its needs. The worker (after a
// score) and the API (a wheel marked done) both rebuild the reminder with it, so the two never disagree.
import { riskRank } from '#app/maintenance/vocabulary';
import {
  type ComponentName,
  findingContentSchema,
  type ReminderContent,
  type ReminderItemContent,
  type ReminderItemStatus,
  type ReminderVehicle,
  type Risk,
  type Visit,
} from '../rendering/reminder-content.model.js';

export interface VisitSummary {
  /** Reminder.content: every need (open first, worst first), the lead finding the first open one. */
  content: ReminderContent;
  /** The worst open need's risk: what the reminder is sorted, filtered and repeated on. */
  risk: Risk;
  /** The earliest open need's due date and odometer: the visit is due when its first need is. */
  dueAt: Date | null;
  dueOdometerKm: number | null;
  openCount: number;
}

export interface VisitInput {
  reminderId: string;
  visit: Visit | null;
  vehicle: ReminderVehicle;
  items: readonly ReminderItemContent[];
}

/**
 * The reminder's content and row fields. With no need open (all done or gone), the worst need still leads, so a
 * closed reminder reads as what it was about.
 */
export function summarizeVisit(input: VisitInput): VisitSummary {
  const items = [...input.items].sort(byUrgency);
  const open = items.filter((item) => item.status === 'OPEN');
  const lead = open[0] ?? items[0];
  if (lead === undefined) throw new Error(`reminder ${input.reminderId} has no needs`);
  const considered = open.length > 0 ? open : [lead];
  const risk = considered.map((item) => item.risk).reduce((a, b) => (riskRank(b) > riskRank(a) ? b : a));
  const dueAt = earliest(considered.map((item) => toDate(item.dueAt)));
  const kms = considered.map((item) => item.dueOdometerKm).filter((km): km is number => typeof km === 'number');
  const dueOdometerKm = kms.length > 0 ? Math.min(...kms) : null;
  const content: ReminderContent = {
    reminderId: input.reminderId,
    component: lead.component,
    risk,
    finding: lead.finding,
    dueAt: dueAt?.toISOString() ?? null,
    dueOdometerKm,
    vehicle: input.vehicle,
    visit: input.visit,
    items: items.map((item) => ({ ...item, dueAt: toDate(item.dueAt)?.toISOString() ?? null, dueOdometerKm: item.dueOdometerKm ?? null })),
  };
  return { content, risk, dueAt, dueOdometerKm, openCount: open.length };
}

/** A ReminderItem row as both apps read it. */
export interface StoredReminderItem {
  id: string;
  component: ComponentName;
  code: string;
  subject: string;
  status: ReminderItemStatus;
  risk: Risk;
  dueAt: Date | null;
  dueOdometerKm: number | null;
  finding: unknown;
}

/** A stored need as content; a finding that no longer parses keeps its code and subject (the texts fall back). */
export function itemContentOf(row: StoredReminderItem): ReminderItemContent {
  const parsed = findingContentSchema.safeParse(row.finding);
  return {
    id: row.id,
    component: row.component,
    risk: row.risk,
    status: row.status,
    finding: parsed.success ? parsed.data : { code: row.code, subject: row.subject, message: '', params: {} },
    dueAt: row.dueAt,
    dueOdometerKm: row.dueOdometerKm,
  };
}

/** Open before closed, then the higher risk, then the earlier due date, then the wheel or item name (a stable order). */
function byUrgency(a: ReminderItemContent, b: ReminderItemContent): number {
  const openA = a.status === 'OPEN' ? 0 : 1;
  const openB = b.status === 'OPEN' ? 0 : 1;
  if (openA !== openB) return openA - openB;
  const risk = riskRank(b.risk) - riskRank(a.risk);
  if (risk !== 0) return risk;
  const dueA = toDate(a.dueAt)?.getTime() ?? Number.POSITIVE_INFINITY;
  const dueB = toDate(b.dueAt)?.getTime() ?? Number.POSITIVE_INFINITY;
  if (dueA !== dueB) return dueA < dueB ? -1 : 1;
  return `${a.finding.subject}:${a.finding.code}`.localeCompare(`${b.finding.subject}:${b.finding.code}`);
}

function earliest(dates: readonly (Date | undefined)[]): Date | null {
  const times = dates.filter((date): date is Date => date !== undefined).map((date) => date.getTime());
  return times.length > 0 ? new Date(Math.min(...times)) : null;
}

function toDate(value: Date | string | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
