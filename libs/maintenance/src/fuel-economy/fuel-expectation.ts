// The fuel rate a car *should* burn for what the driver asked of it, learned per car from its baseline.
//
// Why a regression and not a table of driving cells: the worker reads 30-second averages, so one speed
// band holds a gentle cruise and a hard pull away alike, and a table's per-cell level moves with the trip
// mix (healthy cars drifted 8-12 % day to day). Fuel flow is physics: an idle term, rolling resistance
// (~v), drag (~v^3) and the work of accelerating (~a*v), all scaled by the engine's efficiency. A fault
// (clogged filter, dragging brake, low tyres) scales all of them, so a least-squares fit of the car's own
// baseline on these demand terms predicts how much a healthy car would burn on any mix, and the ratio
// actual / expected isolates the car. Like the cells, it uses speed and acceleration only (never engine
// load, which the faults themselves raise).
import type { TelemetryPoint } from '../maintenance-model.js';

/** Neighbouring 30-s points further apart than this are not the same moment of a drive. */
const MAX_NEIGHBOUR_GAP_MS = 45_000;
/** Ridge penalty (relative to n): keeps the fit defined when a baseline lacks e.g. any motorway. */
const RIDGE = 1e-4;

export const FUEL_FEATURES = ['engineOn', 'stopping', 'steadyIdle', 'speed', 'speed2', 'speed3', 'accelPower', 'brakePower', 'speedChange'] as const;
export const FEATURE_COUNT = FUEL_FEATURES.length;

/**
 * Demand terms of point `i` (engine running), written into `out` at `offset`. Speeds in 100 km/h,
 * acceleration in km/h/s from the neighbouring points (central difference), so no term dwarfs another.
 */
export function writeFeatures(samples: readonly TelemetryPoint[], i: number, out: Float64Array, offset: number): void {
  const point = samples[i];
  const t = point.ts.getTime();
  const v = point.speedKph ?? 0;
  const previous = neighbour(samples[i - 1], t);
  const next = neighbour(samples[i + 1], t);
  const vPrev = previous?.speedKph ?? v;
  const vNext = next?.speedKph ?? v;
  const dtS = ((next?.ts.getTime() ?? t) - (previous?.ts.getTime() ?? t)) / 1000;
  const accel = dtS > 0 ? (vNext - vPrev) / dtS : 0;
  const s = v / 100;
  // Standing with the neighbours standing too is idling (a warm engine's steady ~0.8 L/h); a standing
  // average between moving ones is mostly braking to a stop with the fuel cut. Mixing the two let a
  // day of waiting with the engine on read as a 25 % loss.
  const standing = v < 3;
  const steady = standing && vPrev < 3 && vNext < 3;
  out[offset] = 1;
  out[offset + 1] = standing && !steady ? 1 : 0;
  out[offset + 2] = steady ? 1 : 0;
  out[offset + 3] = s;
  out[offset + 4] = s * s;
  out[offset + 5] = s * s * s;
  out[offset + 6] = Math.max(accel, 0) * s;
  out[offset + 7] = Math.max(-accel, 0) * s;
  // Stop-and-go inside a 30-s average: the average hides accelerations the neighbours still betray.
  out[offset + 8] = (Math.abs(vNext - v) + Math.abs(v - vPrev)) / 100;
}

function neighbour(p: TelemetryPoint | undefined, t: number): TelemetryPoint | undefined {
  if (p?.speedKph === undefined || p.rpm === 0) return undefined;
  return Math.abs(p.ts.getTime() - t) <= MAX_NEIGHBOUR_GAP_MS ? p : undefined;
}

/** Entries of the upper triangle of X'X (row-major, diagonal included): the moments a fit needs. */
export const MOMENT_COUNT = (FEATURE_COUNT * (FEATURE_COUNT + 1)) / 2;

/**
 * Adds one row (FEATURE_COUNT values at `offset`) and its fuel rate to the moments: `xx` is the upper
 * triangle of X'X (so xx[j] for j < FEATURE_COUNT is the sum of feature j, the first being the constant
 * 1: xx[0] is the row count), `xy` is X'y. Sums are exact to add and merge, so a day's moments are the
 * sum of its segments' and a baseline's the sum of its days'.
 */
export function addMoments(xx: number[], xy: number[], row: Float64Array, y: number): void {
  const k = FEATURE_COUNT;
  let t = 0;
  for (let i = 0; i < k; i++) {
    const xi = row[i];
    if (xi === 0) {
      t += k - i;
      continue;
    }
    xy[i] += xi * y;
    for (let j = i; j < k; j++) xx[t++] += xi * row[j];
  }
}

/** Least-squares coefficients of fuel rate on the features from summed moments; null if singular or too few rows. */
export function fitMoments(xx: readonly number[], xy: readonly number[]): number[] | null {
  const k = FEATURE_COUNT;
  const n = xx[0];
  if (n < k * 10) return null;
  const a = new Float64Array(k * k);
  let t = 0;
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      a[i * k + j] = xx[t];
      a[j * k + i] = xx[t];
      t++;
    }
    a[i * k + i] += RIDGE * n;
  }
  return solve(a, Float64Array.from(xy), k);
}

/**
 * Expected fuel (L/h summed over rows) of rows whose feature sums are xx[0..FEATURE_COUNT-1]: the fit
 * is linear, so this is the sum of the rows' expectations. Each row's expectation used to be clamped at
 * 0 (the engine cannot make fuel); from sums only the total can be, which differs only where a fit
 * predicts negative fuel for some rows (hard braking at speed), i.e. by a fraction of a percent.
 */
export function expectedFromMoments(coefficients: readonly number[], xx: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < FEATURE_COUNT; i++) sum += coefficients[i] * xx[i];
  return sum > 0 ? sum : 0;
}

/** Gaussian elimination with partial pivoting on a small dense system. */
function solve(a: Float64Array, b: Float64Array, k: number): number[] | null {
  const m = Float64Array.from(a);
  const y = Float64Array.from(b);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r * k + c]) > Math.abs(m[p * k + c])) p = r;
    if (Math.abs(m[p * k + c]) < 1e-12) return null;
    if (p !== c) {
      for (let j = 0; j < k; j++) [m[c * k + j], m[p * k + j]] = [m[p * k + j], m[c * k + j]];
      [y[c], y[p]] = [y[p], y[c]];
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = m[r * k + c] / m[c * k + c];
      if (f === 0) continue;
      for (let j = c; j < k; j++) m[r * k + j] -= f * m[c * k + j];
      y[r] -= f * y[c];
    }
  }
  return Array.from({ length: k }, (_, i) => y[i] / m[i * k + i]);
}
