// Types of model.js for the Node specs (the browser loads the .js as is; tsconfig.json has no allowJs, and
// tsconfig.frontend.json checks the .js against its JSDoc, which reads these types). Risks and components are the
// maintenance vocabulary's, the one definition the API's answers are made of.
import type { ComponentName, Risk } from '#app/maintenance/vocabulary';

export interface ReminderLike {
  status: string;
  risk: Risk;
  dueAt: string | null;
  updatedAt?: string;
  createdAt?: string;
}
export interface AppointmentLike {
  status: string;
  preferredAt: string;
  scheduledAt: string | null;
}
export type Checked<T> = ({ ok: true } & T) | { ok: false; error: string };
export interface PreferenceBody {
  channels: string[];
  language: 'en' | 'zh';
  timeZone: string;
  quietHoursStart: string | null;
  quietHoursEnd: string | null;
  digest: boolean;
  email: string | null;
  webhookUrl: string | null;
}
export interface PreferenceForm {
  channels: string[];
  language: string;
  timeZone: string;
  quietHoursStart: string;
  quietHoursEnd: string;
  digest: boolean;
  email: string;
}

export const RISKS: readonly Risk[];
export const ACTIVE_STATUSES: readonly string[];
export const CANCELLABLE_APPOINTMENTS: readonly string[];
export const MAX_SNOOZE_DAYS: number;
export function pickLanguage(preferred: string | null | undefined, navigatorLanguage: string | undefined): 'en' | 'zh';
export function riskRank(risk: Risk): number;
export function actionsFor(status: string): ('acknowledge' | 'snooze' | 'book' | 'done')[];
export function sortReminders<T extends ReminderLike>(reminders: readonly T[]): T[];
export function sortAppointments<T extends AppointmentLike>(appointments: readonly T[]): T[];
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the literals name the presets for the editor.
export function snoozeUntil(preset: '1d' | '1w' | 'custom' | string, now: Date, customDate?: string): Checked<{ until: string }>;
export function bookingRequest(preferredLocal: string, notes: string, now: Date): Checked<{ body: { preferredAt: string; notes?: string } }>;
export function validateQuietHours(start: string | null, end: string | null): Checked<{ start: string | null; end: string | null }>;
export function preferenceRequest(current: { webhookUrl: string | null } | null, form: PreferenceForm): Checked<{ body: PreferenceBody }>;
export function urlBase64ToUint8Array(base64url: string): Uint8Array<ArrayBuffer>;
export function sameKey(applicationServerKey: ArrayBuffer | null | undefined, base64url: string): boolean;
export function reminderIdFromHash(hash: string): string | null;
export function formatDateTime(iso: string | null | undefined, lang: string, timeZone: string | undefined): string;
export function localInputValue(now: Date, days: number): string;
export function formatDue(iso: string | null | undefined, now: Date, lang: string, timeZone?: string): string;
export interface ComponentRisk {
  component: ComponentName;
  risk: Risk;
}
export function healthSummary(components: ComponentRisk[] | null | undefined): { allOk: boolean; count: number; attention: ComponentRisk[] } | null;
/** A prediction's finding as the API stores it (JSON: every field may be missing). */
export interface FindingLike {
  code?: unknown;
  subject?: unknown;
  message?: unknown;
  params?: Record<string, unknown> | null;
}
export function findingText(finding: unknown, lang: string): string;
export function componentText(component: { risk: string; explanation: string; findings: unknown }, lang: string): string;
