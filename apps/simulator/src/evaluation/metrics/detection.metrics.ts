// Pure metric computations, kept apart from the harness so each can be checked by hand.

/** A run of consecutive days on which an alert stayed raised. */
export interface AlertEpisode {
  startDay: number;
  endDay: number;
}

/** Alert episodes in a daily series of "raised" flags: an alert that stays raised counts once per onset. */
export function alertEpisodes(raised: readonly boolean[]): AlertEpisode[] {
  const episodes: AlertEpisode[] = [];
  for (let day = 0; day < raised.length; day++) {
    if (!raised[day]) continue;
    if (day > 0 && raised[day - 1]) episodes[episodes.length - 1].endDay = day;
    else episodes.push({ startDay: day, endDay: day });
  }
  return episodes;
}

/** The first day at or after `fromDay` with the alert raised, or null. */
export function firstRaisedFrom(raised: readonly boolean[], fromDay: number): number | null {
  for (let day = Math.max(0, fromDay); day < raised.length; day++) if (raised[day]) return day;
  return null;
}

export type Timing = { kind: 'predictive' } | { kind: 'reactive'; withinDays: number; drivingDays?: boolean };

export interface DetectionOutcome {
  detected: boolean;
  /** Predictive: days between the first alert and the failure line (>= 1 when detected). */
  leadDays: number | null;
  /** Reactive: days from onset to the first alert. */
  delayDays: number | null;
}

/**
 * Predictive faults are detected when the alert (scored at the end of day d) comes before the day the
 * failure line is crossed; reactive ones when it comes within `withinDays` of the onset.
 */
export function detectionOutcome(timing: Timing, failureDay: number, firstAlertDay: number | null): DetectionOutcome {
  if (firstAlertDay === null) return { detected: false, leadDays: null, delayDays: null };
  if (timing.kind === 'predictive') {
    const lead = failureDay - firstAlertDay;
    return { detected: lead >= 1, leadDays: lead, delayDays: null };
  }
  const delay = firstAlertDay - failureDay;
  return { detected: delay <= timing.withinDays, leadDays: null, delayDays: delay };
}

/**
 * Reactive faults counted in driving days: the delay is the number of days the car moved from the onset
 * day through the first alert day (an alert at the end of the first day it drove with the fault = 1).
 */
export function drivingDayOutcome(withinDays: number, moved: readonly boolean[], onsetDay: number, firstAlertDay: number | null): DetectionOutcome {
  if (firstAlertDay === null) return { detected: false, leadDays: null, delayDays: null };
  let delay = 0;
  for (let day = Math.max(0, onsetDay); day <= firstAlertDay; day++) if (moved[day]) delay++;
  return { detected: delay <= withinDays, leadDays: null, delayDays: delay };
}

/** Detected share (0-1); null when there is nothing to detect. */
export function recall(outcomes: readonly Pick<DetectionOutcome, 'detected'>[]): number | null {
  if (outcomes.length === 0) return null;
  return outcomes.filter((o) => o.detected).length / outcomes.length;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 0 ? (sorted[mid - 1] + sorted[mid]) / 2 : sorted[mid];
}

/** |forecast - truth| / |truth|, as a fraction. */
export function absolutePercentageError(forecast: number, truth: number): number {
  if (truth === 0) throw new RangeError('absolute percentage error of a zero truth is undefined');
  return Math.abs(forecast - truth) / Math.abs(truth);
}

/** Median absolute percentage error (a fraction) over forecast/truth pairs; null when there are none. */
export function medianAbsolutePercentageError(pairs: readonly { forecast: number; truth: number }[]): number | null {
  return median(pairs.map((p) => absolutePercentageError(p.forecast, p.truth)));
}

/** Events per 1,000 vehicle-days. */
export function perThousandVehicleDays(events: number, vehicleDays: number): number | null {
  return vehicleDays === 0 ? null : (events * 1000) / vehicleDays;
}
