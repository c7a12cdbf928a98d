import type { ContractLimits } from './contract-limits.model.js';
import { describeValue, formatDuration } from './detail-text.js';
import { SampleRejectedError } from './sample-rejected.error.js';

// Date.parse alone is too lenient: it takes "2026-02-30" as 2 March and zone-less times as local time.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)$/;
const MAX_DATE_MS = 8.64e15;
// Below this an epoch-ms value is before 1973, while as seconds it would be a plausible date.
const LOOKS_LIKE_SECONDS_BELOW = 1e11;

/** `ts` as ISO-8601 with a zone or epoch milliseconds, checked against the receive time. */
export function parseSampleTimestamp(value: unknown, receivedAtMs: number, limits: ContractLimits, observe?: (tsMs: number) => void): Date {
  const ms = toEpochMs(value);
  // Before the checks: a refused sample still tells how far ahead the device's clock runs.
  observe?.(ms);
  const aheadMs = ms - receivedAtMs;
  if (aheadMs > limits.maxFutureSkewMs) {
    throw new SampleRejectedError(
      'CLOCK_IN_FUTURE',
      `ts ${new Date(ms).toISOString()} is ${formatDuration(aheadMs)} ahead of the receive time ${new Date(receivedAtMs).toISOString()}; ` +
        `the device clock may be at most ${formatDuration(limits.maxFutureSkewMs)} ahead`,
    );
  }
  const ageMs = receivedAtMs - ms;
  if (ageMs > limits.maxAgeMs) {
    const hint =
      typeof value === 'number' && value > 0 && value < LOOKS_LIKE_SECONDS_BELOW
        ? ' (it looks like epoch seconds; ts must be epoch milliseconds)'
        : '';
    throw new SampleRejectedError(
      'CLOCK_TOO_OLD',
      `ts ${new Date(ms).toISOString()} is ${formatDuration(ageMs)} older than the receive time; samples may be at most ${formatDuration(limits.maxAgeMs)} old${hint}`,
    );
  }
  return new Date(ms);
}

function toEpochMs(value: unknown): number {
  if (value === undefined || value === null)
    throw new SampleRejectedError('MISSING_FIELD', 'ts is missing: every sample needs ts (ISO-8601 or epoch milliseconds)');
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > MAX_DATE_MS) {
      throw new SampleRejectedError('INVALID_VALUE', `ts ${describeValue(value)} is not a valid epoch-milliseconds time`);
    }
    return Math.trunc(value);
  }
  if (typeof value === 'string') {
    const ms = parseIso8601(value);
    if (ms === undefined) {
      throw new SampleRejectedError(
        'INVALID_VALUE',
        `ts ${describeValue(value)} is not an ISO-8601 time with a zone (e.g. 2026-11-26T08:00:00.000Z) nor epoch milliseconds`,
      );
    }
    return ms;
  }
  throw new SampleRejectedError('INVALID_VALUE', `ts must be an ISO-8601 string or epoch milliseconds, got ${describeValue(value)}`);
}

/** Epoch ms of a strict ISO-8601 date-time with a zone, or undefined. */
export function parseIso8601(text: string): number | undefined {
  const match = ISO_8601.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const offset = zoneOffsetMs(zone);
  if (offset === undefined) return undefined;
  // Not Date.UTC: it maps years 0-99 to 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offset;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function zoneOffsetMs(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}
