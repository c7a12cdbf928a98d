import type { Risk } from '../rendering/reminder-content.model.js';

const HOUR_MS = 3_600_000;

/** How often a still-open reminder is sent again, per risk; null: told once, shown in the app only. */
export type RepeatSettings = Record<Risk, number | null>;

export const DEFAULT_REPEAT_SETTINGS: RepeatSettings = {
  OK: null,
  WATCH: null,
  SOON: 7 * 24 * HOUR_MS,
  URGENT: 24 * HOUR_MS,
  CRITICAL: 4 * HOUR_MS,
};

/** The cadence (ms) at which an unacknowledged reminder of `risk` repeats, or null when it does not. */
export function repeatInterval(risk: Risk, settings: Partial<RepeatSettings> = {}): number | null {
  const interval = risk in settings ? settings[risk] : DEFAULT_REPEAT_SETTINGS[risk];
  return interval === undefined || interval === null || interval <= 0 ? null : interval;
}

/** The repeat hours as configured (REMINDER_REPEAT_*_HOURS); 0 means never. */
export interface RepeatHours {
  readonly SOON: number;
  readonly URGENT: number;
  readonly CRITICAL: number;
}

/** repeatInterval from the configured hours: one reading of the configuration for the worker and the API alike. */
export function configuredRepeatInterval(risk: Risk, hours: RepeatHours): number | null {
  return repeatInterval(risk, { SOON: hours.SOON * HOUR_MS, URGENT: hours.URGENT * HOUR_MS, CRITICAL: hours.CRITICAL * HOUR_MS });
}
