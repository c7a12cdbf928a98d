// @ts-check
// Pure helpers of the owner web app: no DOM, no fetch, no clock (callers pass `now`), so Node tests
// import this very file (apps/api/owner-app/model.spec.ts). Types: model.d.ts (which the Node specs and
// the other modules read), checked against this file by tsconfig.frontend.json.

/** @typedef {import('#app/maintenance/vocabulary').Risk} Risk */
/** @typedef {import('./model.js').ReminderLike} ReminderLike */
/** @typedef {import('./model.js').AppointmentLike} AppointmentLike */
/** @typedef {import('./model.js').PreferenceForm} PreferenceForm */
/** @typedef {import('./model.js').PreferenceBody} PreferenceBody */
/** @typedef {import('./model.js').ComponentRisk} ComponentRisk */
/** @template T @typedef {import('./model.js').Checked<T>} Checked */

export const RISKS = ['OK', 'WATCH', 'SOON', 'URGENT', 'CRITICAL'];
export const ACTIVE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'SNOOZED', 'BOOKED'];
/** The API refuses a snooze beyond this (reminder-state.policy.ts, MAX_SNOOZE_DAYS). */
export const MAX_SNOOZE_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * Which reminder actions the API allows from a status (the same table as reminder-state.policy.ts).
 * @type {Record<'acknowledge' | 'snooze' | 'book' | 'done', string[]>}
 */
const ACTIONS_FROM = {
  acknowledge: ['OPEN', 'SNOOZED'],
  snooze: ['OPEN', 'ACKNOWLEDGED', 'SNOOZED'],
  book: ['OPEN', 'ACKNOWLEDGED', 'SNOOZED'],
  done: ['OPEN', 'ACKNOWLEDGED', 'SNOOZED', 'BOOKED'],
};
export const CANCELLABLE_APPOINTMENTS = ['REQUESTED', 'CONFIRMED'];

/**
 * The owner's saved language wins; before it is known, the browser's.
 * @param {string | null | undefined} preferred
 * @param {string | undefined} navigatorLanguage
 * @returns {'en' | 'zh'}
 */
export function pickLanguage(preferred, navigatorLanguage) {
  if (preferred === 'zh' || preferred === 'en') return preferred;
  return typeof navigatorLanguage === 'string' && navigatorLanguage.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** @param {Risk} risk */
export function riskRank(risk) {
  return RISKS.indexOf(risk);
}

/**
 * Acknowledging an acknowledged reminder changes nothing, so the button is not offered.
 * @param {string} status
 */
export function actionsFor(status) {
  const actions = /** @type {(keyof typeof ACTIONS_FROM)[]} */ (Object.keys(ACTIONS_FROM));
  return actions.filter((action) => ACTIONS_FROM[action].includes(status));
}

/**
 * @template {number | null} M
 * @param {string | null | undefined} iso
 * @param {M} missing
 * @returns {number | M}
 */
function time(iso, missing) {
  if (iso === null || iso === undefined) return missing;
  const value = Date.parse(iso);
  return Number.isNaN(value) ? missing : value;
}

/**
 * Most urgent first: open (not yet answered) before the ones the owner already handled, then the
 * higher risk, the earlier due date (none last), and the newest change.
 * @template {ReminderLike} T
 * @param {readonly T[]} reminders
 * @returns {T[]}
 */
export function sortReminders(reminders) {
  /** @param {T} r */
  const handled = (r) => (r.status === 'OPEN' ? 0 : ACTIVE_STATUSES.includes(r.status) ? 1 : 2);
  return [...reminders].sort(
    (a, b) =>
      handled(a) - handled(b) ||
      riskRank(b.risk) - riskRank(a.risk) ||
      time(a.dueAt, Infinity) - time(b.dueAt, Infinity) ||
      time(b.updatedAt ?? b.createdAt, 0) - time(a.updatedAt ?? a.createdAt, 0),
  );
}

/**
 * Appointments still ahead first (soonest first), then the finished ones, newest first.
 * @template {AppointmentLike} T
 * @param {readonly T[]} appointments
 * @returns {T[]}
 */
export function sortAppointments(appointments) {
  /** @param {T} a */
  const live = (a) => (CANCELLABLE_APPOINTMENTS.includes(a.status) ? 0 : 1);
  /** @param {T} a */
  const when = (a) => time(a.scheduledAt ?? a.preferredAt, 0);
  return [...appointments].sort((a, b) => live(a) - live(b) || (live(a) === 0 ? when(a) - when(b) : when(b) - when(a)));
}

/**
 * A 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM' from a date input, read in the browser's local time.
 * @param {string | null | undefined} value
 * @returns {Date | null}
 */
function localInput(value) {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(String(value ?? '').trim());
  if (match === null) return null;
  const [, y, mo, d, h, mi] = match.map(Number);
  const date = new Date(y, mo - 1, d, Number.isNaN(h) ? 9 : h, Number.isNaN(mi) ? 0 : mi);
  // new Date rolls 2026-02-31 over into March: refuse instead.
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
}

/**
 * When a snooze ends. Presets count from now; a custom date wakes the reminder at 09:00 local time that
 * day. Errors are i18n keys.
 * @param {string} preset '1d' | '1w' | 'custom'
 * @param {Date} now
 * @param {string} [customDate]
 * @returns {Checked<{ until: string }>}
 */
export function snoozeUntil(preset, now, customDate) {
  let until;
  if (preset === '1d') until = new Date(now.getTime() + DAY_MS);
  else if (preset === '1w') until = new Date(now.getTime() + 7 * DAY_MS);
  else if (preset === 'custom') until = localInput(customDate);
  else until = null;
  if (until === null) return { ok: false, error: 'errDate' };
  if (until.getTime() <= now.getTime()) return { ok: false, error: 'errFuture' };
  if (until.getTime() > now.getTime() + MAX_SNOOZE_DAYS * DAY_MS) return { ok: false, error: 'errSnoozeTooFar' };
  return { ok: true, until: until.toISOString() };
}

/**
 * The body of POST /reminders/{id}/book from the form: a future preferred time and an optional note.
 * @param {string} preferredLocal
 * @param {string} notes
 * @param {Date} now
 * @returns {Checked<{ body: { preferredAt: string; notes?: string } }>}
 */
export function bookingRequest(preferredLocal, notes, now) {
  const preferredAt = localInput(preferredLocal);
  if (preferredAt === null) return { ok: false, error: 'errDate' };
  if (preferredAt.getTime() <= now.getTime()) return { ok: false, error: 'errFuture' };
  const note = String(notes ?? '').trim();
  if (note.length > 2000) return { ok: false, error: 'errNoteLong' };
  return { ok: true, body: { preferredAt: preferredAt.toISOString(), ...(note === '' ? {} : { notes: note }) } };
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Quiet hours are both set or both empty, each HH:MM; an empty span (start = end) means nothing.
 * @param {string | null} start
 * @param {string | null} end
 * @returns {Checked<{ start: string | null; end: string | null }>}
 */
export function validateQuietHours(start, end) {
  const s = String(start ?? '').trim();
  const e = String(end ?? '').trim();
  if (s === '' && e === '') return { ok: true, start: null, end: null };
  if (s === '' || e === '') return { ok: false, error: 'errQuietBoth' };
  if (!CLOCK.test(s) || !CLOCK.test(e)) return { ok: false, error: 'errQuietFormat' };
  if (s === e) return { ok: false, error: 'errQuietSame' };
  return { ok: true, start: s, end: e };
}

/**
 * The PUT /me/preferences body (a full replacement) from the form, keeping what the form does not
 * show (the webhook URL; its secret is kept by the API when omitted).
 * @param {{ webhookUrl: string | null } | null} current
 * @param {PreferenceForm} form
 * @returns {Checked<{ body: PreferenceBody }>}
 */
export function preferenceRequest(current, form) {
  const quiet = validateQuietHours(form.quietHoursStart, form.quietHoursEnd);
  if (!quiet.ok) return quiet;
  const email = String(form.email ?? '').trim();
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { ok: false, error: 'errEmail' };
  const channels = [...new Set(form.channels)];
  const webhookUrl = current?.webhookUrl ?? null;
  if (channels.includes('WEBHOOK') && webhookUrl === null) return { ok: false, error: 'errWebhook' };
  const timeZone = String(form.timeZone ?? '').trim();
  if (timeZone === '') return { ok: false, error: 'errTimeZone' };
  return {
    ok: true,
    body: {
      channels,
      language: form.language === 'zh' ? 'zh' : 'en',
      timeZone,
      quietHoursStart: quiet.start,
      quietHoursEnd: quiet.end,
      digest: form.digest === true,
      email: email === '' ? null : email,
      webhookUrl,
    },
  };
}

/**
 * The VAPID key (base64url, as GET /push/vapid-public-key gives it) as PushManager.subscribe wants it.
 * @param {string} base64url
 * @returns {Uint8Array<ArrayBuffer>}
 */
export function urlBase64ToUint8Array(base64url) {
  const base64 = String(base64url).replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * Whether a subscription was made with this key (ArrayBuffer from PushSubscription.options).
 * @param {ArrayBuffer | null | undefined} applicationServerKey
 * @param {string} base64url
 */
export function sameKey(applicationServerKey, base64url) {
  if (applicationServerKey === null || applicationServerKey === undefined) return false;
  const a = new Uint8Array(applicationServerKey);
  const b = urlBase64ToUint8Array(base64url);
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * '#reminder/<id>' (where a notification click lands) to the id, else null.
 * @param {string} hash
 * @returns {string | null}
 */
export function reminderIdFromHash(hash) {
  const match = /^#reminder\/([0-9A-Za-z-]{1,64})$/.exec(String(hash ?? ''));
  return match === null ? null : match[1];
}

/**
 * A date and time in the owner's language and zone; falls back to the browser's zone for a bad one.
 * @param {string | null | undefined} iso
 * @param {string} lang
 * @param {string | undefined} timeZone
 */
export function formatDateTime(iso, lang, timeZone) {
  if (iso === null || iso === undefined) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

/**
 * 'YYYY-MM-DDTHH:MM' for a datetime-local input, `days` from now at 09:00 local time.
 * @param {Date} now
 * @param {number} days
 */
export function localInputValue(now, days) {
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 9, 0);
  /** @param {number} n */
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * When something is due, as precise as the forecast: "in about 5 days" up to two weeks ahead, a date
 * beyond (forecasts are good to days, not minutes), "now" once it is due.
 * @param {string | null | undefined} iso
 * @param {Date} now
 * @param {string} lang
 * @param {string} [timeZone]
 */
export function formatDue(iso, now, lang, timeZone) {
  const due = time(iso, null);
  if (due === null) return '';
  const days = Math.round((due - now.getTime()) / DAY_MS);
  const zh = lang === 'zh';
  if (days <= 0) return zh ? '现在（已到期）' : 'now (due)';
  if (days === 1) return zh ? '明天左右' : 'in about a day';
  if (days <= 14) return zh ? `约 ${days} 天后` : `in about ${days} days`;
  const locale = zh ? 'zh-CN' : 'en-GB';
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(due));
  } catch {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(due));
  }
}

/**
 * What a car's components add up to, without a single number that could contradict their risks (the
 * lowest component health can be 60 while every component is still OK): either all OK, or the components
 * that need attention, worst first.
 * @param {ComponentRisk[] | null | undefined} components
 * @returns {{ allOk: boolean; count: number; attention: ComponentRisk[] } | null}
 */
export function healthSummary(components) {
  const list = Array.isArray(components) ? components : [];
  if (list.length === 0) return null;
  const attention = list
    .filter((c) => riskRank(c.risk) > 0)
    .sort((a, b) => riskRank(b.risk) - riskRank(a.risk))
    .map((c) => ({ component: c.component, risk: c.risk }));
  return attention.length === 0 ? { allOk: true, count: list.length, attention } : { allOk: false, count: list.length, attention };
}
