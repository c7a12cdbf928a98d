import type { RecordedService } from './reminder-completion.repository.js';
import type { Risk } from '#app/maintenance/vocabulary';
import type { ChannelKind, ReminderStatus } from '#app/notifications';

/** The latest notification of a reminder on one channel, for "sent by e-mail at 09:00". */
export interface DeliverySummary {
  channel: ChannelKind;
  /** Status of the newest notification on this channel. */
  status: 'PENDING' | 'SENT' | 'FAILED' | 'GONE' | 'HELD';
  notificationKey: string;
  attempts: number;
  /** When a notification last went out on this channel; null if none did yet. */
  lastSentAt: string | null;
  /** How many notifications of this reminder were made for this channel. */
  notifications: number;
  /** Why the newest one failed, on the channels whose target the owner set (webhook, push); else null. */
  lastError: string | null;
}

/** One need of a reminder's visit (a wheel, a service item), rendered for the reader. */
export interface ReminderNeedView {
  /** What `POST /reminders/{id}/done` takes in `items`; null for a reminder written before visits. */
  id: string | null;
  component: string;
  code: string;
  subject: string;
  risk: Risk;
  status: 'OPEN' | 'DONE' | 'RESOLVED';
  headline: string;
  why: string;
  action: string;
  /** Its own due date or odometer, in words; empty when none. */
  due: string;
  dueAt: string | null;
  dueOdometerKm: number | null;
}

export interface ReminderView {
  id: string;
  vehicle: { vin: string; make: string; model: string; plate: string | null };
  component: string;
  finding: { code: string; subject: string };
  risk: Risk;
  status: ReminderStatus;
  /** Rendered in the reader's language and time zone. */
  title: string;
  text: string;
  dueAt: string | null;
  dueOdometerKm: number | null;
  version: number;
  snoozedUntil: string | null;
  closedAt: string | null;
  closedReason: string | null;
  createdAt: string;
  updatedAt: string;
  deliveries: DeliverySummary[];
  /** The service visit the reminder stands for (TIRES, SERVICE); null: a need on its own. */
  visit: 'TIRES' | 'SERVICE' | null;
  /** Every need of the visit, open ones first (worst first), with its figures and state. */
  items: ReminderNeedView[];
}

export interface ReminderList {
  items: ReminderView[];
}

export interface AppointmentSummary {
  id: string;
  status: string;
  serviceCenterId: string;
  preferredAt: string;
  notes: string | null;
}

export interface ReminderActionResult {
  reminder: ReminderView;
  /** book: the appointment requested at the vehicle's service center. */
  appointment?: AppointmentSummary;
  /** done: the (first) service record written for the needs fixed. */
  serviceRecord?: RecordedService;
  /** done: every service record written, one per kind of work (four tyres: one replacement at four wheels). */
  serviceRecords?: RecordedService[];
  /** done: whether the vehicle was queued for scoring again (false: Redis unavailable, record kept). */
  rescoreRequested?: boolean;
}
