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

/** Least-squares coefficients of fuel rate on the features (rows of FEATURE_COUNT values); null if singular. */
export function fitExpectation(features: readonly Float64Array[], lph: readonly Float64Array[]): number[] | null {
  const k = FEATURE_COUNT;
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  let n = 0;
  for (let chunk = 0; chunk < features.length; chunk++) {
    const x = features[chunk];
    const y = lph[chunk];
    for (let r = 0; r < y.length; r++) {
      const o = r * k;
      for (let i = 0; i < k; i++) {
        const xi = x[o + i];
        if (xi === 0) continue;
        b[i] += xi * y[r];
        for (let j = i; j < k; j++) a[i * k + j] += xi * x[o + j];
      }
      n++;
    }
  }
  if (n < k * 10) return null;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) a[i * k + j] = a[j * k + i];
    a[i * k + i] += RIDGE * n;
  }
  return solve(a, b, k);
}

/** Expected fuel rate (L/h) of row `r`; never negative (the engine cannot make fuel). */
export function expectedLph(coefficients: readonly number[], x: Float64Array, r: number): number {
  const o = r * FEATURE_COUNT;
  let sum = 0;
  for (let i = 0; i < FEATURE_COUNT; i++) sum += coefficients[i] * x[o + i];
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
