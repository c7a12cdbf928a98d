import type { Finding } from '#app/maintenance';
// The vocabulary entry, not `#app/maintenance`: this library must not load the models at run time.
import { COMPONENTS, type ComponentName, RISKS, type Risk } from '#app/maintenance/vocabulary';
import { z } from 'zod';

export type { ComponentName, Risk };

export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface ReminderVehicle {
  make: string;
  model: string;
  plate?: string | null;
}

/**
 * The service visits that fix several needs at once: every tyre need at one tyre-shop visit, the service-schedule
 * items due together at one service visit. A need of any other component is a trip of its own.
 */
export const VISITS = ['TIRES', 'SERVICE'] as const;
export type Visit = (typeof VISITS)[number];

const VISIT_OF: Partial<Record<ComponentName, Visit>> = { TIRES: 'TIRES', SERVICE_SCHEDULE: 'SERVICE' };

export function visitOf(component: ComponentName): Visit | null {
  return VISIT_OF[component] ?? null;
}

export const REMINDER_ITEM_STATUSES = ['OPEN', 'DONE', 'RESOLVED'] as const;
export type ReminderItemStatus = (typeof REMINDER_ITEM_STATUSES)[number];

/** One need of a visit with its own figures and state (ReminderItem, as Reminder.content carries it). */
export interface ReminderItemContent {
  id?: string;
  component: ComponentName;
  risk: Risk;
  status: ReminderItemStatus;
  finding: Pick<Finding, 'code' | 'subject' | 'message' | 'params'>;
  dueAt?: Date | string | null;
  dueOdometerKm?: number | null;
}

/** What a reminder says, in structured form (Reminder.content): texts are rendered per owner language. */
export interface ReminderContent {
  reminderId?: string;
  component: ComponentName;
  risk: Risk;
  /** The model's finding that opened the reminder. */
  finding: Pick<Finding, 'code' | 'subject' | 'message' | 'params'>;
  dueAt?: Date | string | null;
  dueOdometerKm?: number | null;
  vehicle: ReminderVehicle;
  /** Where the owner acts on it (the app's reminder page). */
  link?: string | null;
  /** Dates in the text are the owner's local dates; UTC when missing. */
  timeZone?: string | null;
  /** The visit the reminder stands for; null or missing: a need on its own. */
  visit?: Visit | null;
  /** Every need of the visit (open, done, resolved), worst open first; `finding` is the first open one. */
  items?: ReminderItemContent[] | null;
}

/** For reading Reminder.content back from the database (JSON: dates are strings there). */
export const findingContentSchema = z.object({
  code: z.string().min(1),
  subject: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

const reminderItemContentSchema = z.object({
  id: z.string().optional(),
  component: z.enum(COMPONENTS),
  risk: z.enum(RISKS),
  status: z.enum(REMINDER_ITEM_STATUSES),
  finding: findingContentSchema,
  dueAt: z.string().nullish(),
  dueOdometerKm: z.number().nullish(),
});

export const reminderContentSchema = z.object({
  reminderId: z.string().optional(),
  component: z.enum(COMPONENTS),
  risk: z.enum(RISKS),
  finding: findingContentSchema,
  dueAt: z.string().nullish(),
  dueOdometerKm: z.number().nullish(),
  vehicle: z.object({ make: z.string(), model: z.string(), plate: z.string().nullish() }),
  link: z.string().nullish(),
  timeZone: z.string().nullish(),
  visit: z.enum(VISITS).nullish(),
  items: z.array(reminderItemContentSchema).nullish(),
}) satisfies z.ZodType<ReminderContent>;

/** "zh-CN", "zh_TW", "zh" -> zh; anything else -> en. */
export function languageOf(preference: string | null | undefined): Language {
  return preference?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Where the owner acts on a reminder: the owner web app opened on it (apps/api/owner-app routes #reminder/<id>). */
export function reminderLink(appUrl: string, reminderId: string): string {
  return new URL(`#reminder/${encodeURIComponent(reminderId)}`, appUrl).toString();
}
