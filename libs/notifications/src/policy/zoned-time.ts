// Wall-clock time in an IANA time zone with Intl only. A fixed UTC offset is wrong twice a year in
// zones with daylight saving time, so every conversion asks Intl for the offset at that instant.
import { InvalidDeliveryPreferenceError } from './invalid-delivery-preference.error.js';

export interface LocalDate {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new InvalidDeliveryPreferenceError('timeZone', timeZone, 'not an IANA time zone');
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws InvalidDeliveryPreferenceError unless Intl knows the zone. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const values: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') values[part.type] = Number(part.value);
  }
  return { year: values.year, month: values.month, day: values.day, hour: values.hour, minute: values.minute, second: values.second };
}

/** Local minus UTC at that instant, in ms (Asia/Shanghai: +8 h; Europe/Berlin: +1 h or +2 h). */
function offsetAt(epochMs: number, timeZone: string): number {
  const whole = Math.floor(epochMs / 1000) * 1000;
  const l = toLocal(new Date(whole), timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - whole;
}

/**
 * The instant a wall-clock time happens in a zone. A time skipped by a spring-forward gap maps to the
 * same wall time shifted by the gap (02:30 -> 03:30 CEST); a time that happens twice in the autumn
 * maps to its first occurrence (the same choice as Temporal's 'compatible').
 */
export function fromLocal(local: LocalDate & { hour: number; minute: number }, timeZone: string): Date {
  const asIfUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // Any transition near this time lies between these two instants: zones change offset at most once a day.
  const before = offsetAt(asIfUtc - 24 * HOUR_MS, timeZone);
  const after = offsetAt(asIfUtc + 24 * HOUR_MS, timeZone);
  const candidates = [asIfUtc - before, asIfUtc - after].filter((t) => offsetAt(t, timeZone) + t === asIfUtc).sort((a, b) => a - b);
  return new Date(candidates[0] ?? asIfUtc - before);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** "07:00" -> minutes after local midnight. */
export function parseClockTime(field: string, value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (match === null) throw new InvalidDeliveryPreferenceError(field, value, 'expected HH:MM, 00:00-23:59');
  return Number(match[1]) * 60 + Number(match[2]);
}
