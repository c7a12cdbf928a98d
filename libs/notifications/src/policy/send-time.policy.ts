import type { Risk } from '../rendering/reminder-content.model.js';
import { addDays, assertTimeZone, fromLocal, type LocalDate, parseClockTime, toLocal } from './zoned-time.js';

/** The parts of a NotificationPreference row the timing depends on. */
export interface DeliveryPreference {
  /** IANA zone, e.g. "Asia/Shanghai". */
  timeZone: string;
  /** "22:00"; null or missing (or equal to the end) means no quiet hours. */
  quietHoursStart?: string | null;
  quietHoursEnd?: string | null;
  /** Batch non-urgent reminders into one daily notice. */
  digest: boolean;
  /** Local time of the daily digest; "09:00" when missing. */
  digestTime?: string | null;
}

export type SendTimeReason = 'immediate' | 'quiet-hours' | 'digest';

export interface SendTime {
  at: Date;
  reason: SendTimeReason;
}

export const DEFAULT_DIGEST_TIME = '09:00';

// What a digest may wait for: SOON means weeks, WATCH means "keep an eye on it". URGENT is about days.
const DIGESTIBLE: ReadonlySet<Risk> = new Set(['OK', 'WATCH', 'SOON']);

/**
 * When to send a notification of `risk` to an owner with this preference.
 * CRITICAL (stop driving, flat tyre) always goes now: a safety warning held until 07:00 is useless.
 * Non-urgent reminders of a digest owner wait for the next daily digest; the rest wait out quiet hours.
 */
export function decideSendTime(preference: DeliveryPreference, risk: Risk, now: Date): SendTime {
  assertTimeZone(preference.timeZone);
  if (risk === 'CRITICAL') return { at: now, reason: 'immediate' };
  if (preference.digest && DIGESTIBLE.has(risk)) {
    const digestAt = nextDailyTime(parseClockTime('digestTime', preference.digestTime ?? DEFAULT_DIGEST_TIME), preference.timeZone, now);
    // A digest time set inside quiet hours is pushed to their end rather than waking the owner.
    const quietEnd = quietHoursEnd(preference, digestAt);
    return { at: quietEnd ?? digestAt, reason: 'digest' };
  }
  const quietEnd = quietHoursEnd(preference, now);
  return quietEnd === undefined ? { at: now, reason: 'immediate' } : { at: quietEnd, reason: 'quiet-hours' };
}

/** When `instant` falls inside the owner's quiet hours, the instant they end; otherwise undefined. */
export function quietHoursEnd(preference: DeliveryPreference, instant: Date): Date | undefined {
  if (!preference.quietHoursStart || !preference.quietHoursEnd) return undefined;
  const start = parseClockTime('quietHoursStart', preference.quietHoursStart);
  const end = parseClockTime('quietHoursEnd', preference.quietHoursEnd);
  if (start === end) return undefined;
  const local = toLocal(instant, preference.timeZone);
  const minute = local.hour * 60 + local.minute;
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  let endDay: LocalDate;
  if (start < end) {
    if (minute < start || minute >= end) return undefined;
    endDay = today;
  } else {
    // Spanning midnight (22:00-07:00): the evening part ends tomorrow, the early-morning part today.
    if (minute >= start) endDay = addDays(today, 1);
    else if (minute < end) endDay = today;
    else return undefined;
  }
  return fromLocal({ ...endDay, hour: Math.floor(end / 60), minute: end % 60 }, preference.timeZone);
}

function nextDailyTime(minuteOfDay: number, timeZone: string, now: Date): Date {
  const local = toLocal(now, timeZone);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  const clock = { hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 };
  const todayAt = fromLocal({ ...today, ...clock }, timeZone);
  return todayAt.getTime() >= now.getTime() ? todayAt : fromLocal({ ...addDays(today, 1), ...clock }, timeZone);
}
