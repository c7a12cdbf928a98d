import { type Language, renderReminderItems, renderReminderMessage, reminderContentSchema, type Risk } from '#app/notifications';
import type { DeliverySummary, ReminderNeedView, ReminderView } from './reminder.model.js';
import type { ReminderStatus } from '#app/notifications';

export interface Reader {
  language: Language;
  timeZone: string;
}

export interface ReminderRow {
  id: string;
  component: string;
  status: ReminderStatus;
  risk: Risk;
  content: unknown;
  dueAt: Date | null;
  dueOdometerKm: number | null;
  version: number;
  snoozedUntil: Date | null;
  nextNotifyAt: Date | null;
  closedAt: Date | null;
  closedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  vehicle: { vin: string; make: string; model: string; plate: string | null };
  deliveries: DeliveryRow[];
}

export interface DeliveryRow {
  channel: DeliverySummary['channel'];
  status: DeliverySummary['status'];
  notificationKey: string;
  attempts: number;
  sentAt: Date | null;
  createdAt: Date;
  lastError: string | null;
}

// The channels whose target the owner supplied (their webhook URL, their browser's push endpoint): why a
// send failed there is theirs to read and fix (e.g. `refused target: 10.0.0.1 is a private address`).
// E-mail and in-app failures describe our own infrastructure and stay internal.
const OWNER_TARGET_CHANNELS: ReadonlySet<DeliverySummary['channel']> = new Set(['WEBHOOK', 'WEB_PUSH']);

/**
 * A stored reminder as its reader sees it: texts rendered from the structured content in the
 * reader's language and time zone (the row's risk and due date win over the content's: the
 * worker updates both, the row is what the feed sorts and filters on).
 */
export function renderReminderView(row: ReminderRow, reader: Reader): ReminderView {
  const parsed = reminderContentSchema.safeParse(row.content);
  let title = row.component;
  let text = '';
  let finding = { code: '', subject: '' };
  let visit: ReminderView['visit'] = null;
  let items: ReminderNeedView[] = [];
  // A row whose content no longer parses still shows in the feed (with a bare title) rather than
  // failing the owner's whole list.
  if (parsed.success) {
    const content = parsed.data;
    const message = renderReminderMessage(
      {
        ...content,
        reminderId: row.id,
        risk: row.risk,
        dueAt: row.dueAt?.toISOString() ?? content.dueAt ?? null,
        dueOdometerKm: row.dueOdometerKm ?? content.dueOdometerKm ?? null,
        timeZone: reader.timeZone,
      },
      reader.language,
    );
    title = message.title;
    text = message.text;
    finding = { code: content.finding.code, subject: content.finding.subject };
    visit = content.visit ?? null;
    const texts = renderReminderItems({ ...content, timeZone: reader.timeZone }, reader.language);
    const needs = content.items ?? [{ ...content, status: 'OPEN' as const }];
    items = needs.flatMap((need, index) => {
      const text = texts[index];
      if (text === undefined) return [];
      return [
        {
          id: text.id,
          component: need.component,
          code: need.finding.code,
          subject: need.finding.subject,
          risk: need.risk,
          status: need.status,
          headline: text.headline,
          why: text.why,
          action: text.action,
          due: text.due,
          dueAt: typeof need.dueAt === 'string' ? need.dueAt : null,
          dueOdometerKm: need.dueOdometerKm ?? null,
        },
      ];
    });
  }
  return {
    id: row.id,
    vehicle: row.vehicle,
    component: row.component,
    finding,
    risk: row.risk,
    status: row.status,
    title,
    text,
    dueAt: row.dueAt?.toISOString() ?? null,
    dueOdometerKm: row.dueOdometerKm,
    version: row.version,
    snoozedUntil: row.snoozedUntil?.toISOString() ?? null,
    closedAt: row.closedAt?.toISOString() ?? null,
    closedReason: row.closedReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deliveries: summarizeDeliveries(row.deliveries),
    visit,
    items,
  };
}

/** One line per channel: the newest notification's status, and when anything last went out. */
export function summarizeDeliveries(deliveries: readonly DeliveryRow[]): DeliverySummary[] {
  const byChannel = new Map<DeliverySummary['channel'], DeliveryRow[]>();
  for (const delivery of deliveries) byChannel.set(delivery.channel, [...(byChannel.get(delivery.channel) ?? []), delivery]);
  return [...byChannel.entries()]
    .map(([channel, rows]) => {
      const newest = rows.reduce((a, b) => (b.createdAt.getTime() > a.createdAt.getTime() ? b : a));
      const sent = rows.map((r) => r.sentAt?.getTime()).filter((t): t is number => t !== undefined);
      return {
        channel,
        status: newest.status,
        notificationKey: newest.notificationKey,
        attempts: newest.attempts,
        lastSentAt: sent.length > 0 ? new Date(Math.max(...sent)).toISOString() : null,
        notifications: rows.length,
        lastError: OWNER_TARGET_CHANNELS.has(channel) ? newest.lastError : null,
      };
    })
    .sort((a, b) => a.channel.localeCompare(b.channel));
}
