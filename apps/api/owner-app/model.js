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
/** @typedef {import('./model.js').FindingLike} FindingLike */
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

const ZH_WHEELS = /** @type {Record<string, string>} */ ({ FL: '左前', FR: '右前', RL: '左后', RR: '右后' });
const ZH_SERVICE_ITEMS = /** @type {Record<string, string>} */ ({
  oil: '机油保养',
  'air-filter': '更换空气滤清器',
  'brake-fluid': '更换制动液',
  coolant: '更换冷却液',
  'tire-rotation': '轮胎换位',
  inspection: '常规检查',
});

/**
 * Chinese headlines of the finding codes, from code + params: the same words as the owner's messages
 * (libs/notifications/src/rendering/chinese.catalog.ts, which the browser cannot import: it is TypeScript
 * behind the API). A code missing here falls back to the model's English message.
 * @type {Record<string, (f: FindingLike) => string>}
 */
const ZH_FINDINGS = {
  TIRE_TREAD_WEAR: (f) => `${zhWheel(f)}轮胎花纹即将磨损到限${paramText(f, 'treadMm', (v) => `（${v} 毫米）`)}`,
  TIRE_SLOW_LEAK: (f) => `${zhWheel(f)}轮胎正在漏气${paramText(f, 'lossKpaPerDay', (v) => `（每天约 ${v} 千帕）`)}`,
  TIRE_PRESSURE_LOSS: (f) => `${zhWheel(f)}轮胎正在快速失压${paramText(f, 'pressureKpa', (v) => `（${v} 千帕）`)}`,
  TIRE_UNDER_INFLATED: (f) => `${zhWheel(f)}轮胎气压不足${paramText(f, 'pressureKpa', (v) => `（${v} 千帕）`)}`,
  TIRE_UNEVEN_WEAR: (f) => `${zhWheel(f)}轮胎磨损不均匀`,
  COOLANT_DRIFT: (f) => `发动机温度比平时偏高${paramText(f, 'currentC', (v) => `（热车约 ${v}°C）`)}`,
  COOLANT_STEP: (f) => `发动机温度突然升高${paramText(f, 'currentC', (v) => `（热车约 ${v}°C）`)}`,
  COOLANT_OVERHEAT: (f) => `发动机过热${paramText(f, 'peakC', (v) => `（最高 ${v}°C）`)}`,
  THERMOSTAT_STUCK_OPEN: () => '节温器可能卡在常开位置',
  COOLANT_DANGER_EPISODES: () => '发动机温度接近过热',
  COOLANT_SENSOR_STUCK: () => '冷却液温度传感器可能故障',
  FUEL_ECONOMY_DEGRADED: () => '油耗升高',
  FUEL_RATE_SENSOR_STUCK: () => '油耗读数停滞不变',
  BATTERY_LOW_CHARGE: () => '蓄电池电量偏低',
  BATTERY_WEAK_CRANKING: () => '蓄电池老化',
  CHARGING_VOLTAGE_LOW: () => '蓄电池充电不足',
  CHARGING_VOLTAGE_HIGH: () => '蓄电池过度充电',
  BATTERY_SENSOR_STUCK: () => '蓄电池电压读数停滞不变',
  DTC_ACTIVE: (f) => `故障码 ${String(f.params?.dtc ?? f.subject ?? '')} 处于激活状态`,
  DTC_INTERMITTENT: (f) => `故障码 ${String(f.params?.dtc ?? f.subject ?? '')} 时有时无`,
  SERVICE_DUE: (f) => {
    const item = ZH_SERVICE_ITEMS[String(f.params?.item ?? f.subject ?? '')] ?? '定期保养';
    const overdue = [f.params?.remainingKm, f.params?.daysLeft].some((v) => typeof v === 'number' && v < 0);
    return overdue ? `${item}已逾期` : `${item}即将到期`;
  },
};

/** @param {FindingLike} f */
function zhWheel(f) {
  return ZH_WHEELS[String(f.params?.wheel ?? f.subject ?? '')] ?? '某个';
}

/**
 * A numeric param in a text, or '' when it is missing or not a number (never "undefined" or "NaN").
 * @param {FindingLike} f
 * @param {string} key
 * @param {(value: number) => string} text
 */
function paramText(f, key, text) {
  const value = f.params?.[key];
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? text(n) : '';
}

/**
 * One finding in the owner's language: rendered from code + params where the app has the words, else
 * the model's English message (better English than nothing; the code is never shown to an owner).
 * @param {unknown} finding an element of a prediction's `findings` JSON
 * @param {string} lang
 * @returns {string}
 */
export function findingText(finding, lang) {
  if (typeof finding !== 'object' || finding === null) return '';
  const f = /** @type {FindingLike} */ (finding);
  const render = lang === 'zh' && typeof f.code === 'string' ? ZH_FINDINGS[f.code] : undefined;
  if (render !== undefined) return render(f);
  return typeof f.message === 'string' ? f.message : '';
}

/**
 * What a component card says under its name, in the owner's language. English: the model's explanation.
 * Chinese: its findings' headlines; with none, "nothing found" for an OK component, else the English
 * explanation as the fallback.
 * @param {{ risk: string; explanation: string; findings: unknown }} component
 * @param {string} lang
 * @returns {string}
 */
export function componentText(component, lang) {
  if (lang !== 'zh') return component.explanation;
  const findings = Array.isArray(component.findings) ? /** @type {unknown[]} */ (component.findings) : [];
  const texts = findings.map((f) => findingText(f, lang)).filter((text) => text !== '');
  if (texts.length > 0) return texts.join('；');
  return component.risk === 'OK' ? '未发现异常' : component.explanation;
}
