import type { OdometerCleaning } from './odometer-cleaner.js';

/**
 * The odometer at `ts`, interpolated between cleaned readings of one segment, or the nearest reading
 * when `ts` is within `toleranceMs` outside the data. Undefined otherwise: guessing across a reset or a
 * long silence would invent distance. Used to place tyre readings that came without an odometer.
 */
export function odometerAt(cleaning: OdometerCleaning, ts: Date, toleranceMs = 6 * 3_600_000): number | undefined {
  const pts = cleaning.points;
  if (pts.length === 0) return undefined;
  const t = ts.getTime();
  // Binary search for the first point at or after t.
  let lo = 0;
  let hi = pts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pts[mid].ts.getTime() < t) lo = mid + 1;
    else hi = mid;
  }
  const after = pts[lo];
  const before = lo > 0 ? pts[lo - 1] : undefined;
  if (after !== undefined && after.ts.getTime() === t) return after.km;
  if (before !== undefined && after !== undefined && before.segment === after.segment) {
    const ta = before.ts.getTime();
    const tb = after.ts.getTime();
    return before.km + ((after.km - before.km) * (t - ta)) / (tb - ta);
  }
  const nearest = [before, after].filter((p) => p !== undefined).sort((a, b) => Math.abs(a.ts.getTime() - t) - Math.abs(b.ts.getTime() - t))[0];
  return nearest !== undefined && Math.abs(nearest.ts.getTime() - t) <= toleranceMs ? nearest.km : undefined;
}
