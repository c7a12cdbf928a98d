// The drift trend the forecast of 105 C is drawn from. A coolant drift (a radiator clogging, a pump
// wearing) starts on some day and rises from there; the 30-day window of daily medians holds the flat
// days before it too, and Theil-Sen over the whole window follows the pairs of flat days: seed 2's drift
// cars read 0.04-0.07 C/day a week after the onset against a true 0.23-0.35, 0.13-0.19 after two weeks,
// so "days to 105 C" came out 1.5-9 times too long (MdAPE 0.847 on 10 points) until the drift filled
// the window. When the rise plainly began mid-window, the trend is fitted on the days since.
import { median } from '../stats/descriptive.js';
import { bestTwoLineSplit, theilSen, type TheilSenFit, type XY } from '../stats/robust-regression.js';

/**
 * When the days since a change are used (the tyre wear rule's shape, tires/tread-wear.ts WEAR_CHANGE):
 * each side at least 7 daily medians over 7 days; the recent slope half again the earlier one and
 * 0.05 C/day above it (a falling earlier stretch counts as flat), with the two 80 % rank intervals apart;
 * and the extra rise since the change at least 1 C (the CUSUM scale floor: a healthy car's daily medians
 * vary by about that much) and 4 times the car's own scatter of daily medians around the earlier line.
 * Only a faster trend switches: a slower recent one would postpone a warning on a week of days.
 */
export const DRIFT_CHANGE = {
  minDays: 7,
  minRatio: 1.5,
  minDiffCPerDay: 0.05,
  minExcessC: 1,
  /** ...and at least this many times the car's own day-to-day scatter of daily medians around the earlier line. */
  scatterFactor: 4,
  intervalLevel: 0.8,
} as const;

export interface DriftTrend {
  fit: TheilSenFit;
  /** Set when the trend is fitted on the days since the rise began: the first such point's x, how many, the slope before. */
  since: { x: number; days: number; earlierCPerDay: number } | null;
}

/** The trend of daily warm medians (x in days, ascending): the whole window's, or the days since a plain speed-up. */
export function driftTrend(points: readonly XY[]): DriftTrend {
  const whole = theilSen(points);
  const since = speedUp(points, whole);
  return since ?? { fit: whole, since: null };
}

function speedUp(points: readonly XY[], whole: TheilSenFit): DriftTrend | null {
  const c = DRIFT_CHANGE;
  if (points.length < 2 * c.minDays) return null;
  const split = bestTwoLineSplit(points, c.minDays);
  if (split === undefined) return null;
  const earlier = points.slice(0, split.at);
  const recent = points.slice(split.at);
  const spanOf = (side: readonly XY[]): number => side[side.length - 1].x - side[0].x;
  const recentSpan = spanOf(recent);
  if (spanOf(earlier) < c.minDays - 1 || recentSpan < c.minDays - 1) return null;
  // Against a flat earlier trend at least: a falling stretch before is scatter, not a slower drift.
  const plain = (before: number, after: number): boolean =>
    after - Math.max(before, 0) >= c.minDiffCPerDay &&
    after >= c.minRatio * Math.max(before, 0) &&
    (after - Math.max(before, 0)) * recentSpan >= c.minExcessC;
  if (!plain(split.earlierSlope, split.recentSlope)) return null;
  const before = theilSen(earlier, c.intervalLevel);
  const after = theilSen(recent, c.intervalLevel);
  if (before.slopeCi === null || after.slopeCi === null) return null;
  if (!plain(before.slope, after.slope) || after.slopeCi.low <= before.slopeCi.high || after.slope <= whole.slope) return null;
  // The rise must also stand well clear of this car's own day-to-day scatter around the earlier line.
  const residuals = earlier.map((p) => p.y - (before.intercept + before.slope * p.x));
  const scatterC = 1.4826 * median(residuals.map((r) => Math.abs(r - median(residuals))));
  if ((after.slope - Math.max(before.slope, 0)) * recentSpan < c.scatterFactor * scatterC) return null;
  // The forecast's interval at the whole fit's level (95 %).
  return { fit: theilSen(recent), since: { x: recent[0].x, days: recent.length, earlierCPerDay: before.slope } };
}
