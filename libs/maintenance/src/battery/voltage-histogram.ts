// Voltage readings as counts per centivolt: devices report the battery voltage to 0.01 V, so a
// histogram at that resolution keeps every reading's value (the median is exact) in a few numbers, and
// two days' histograms merge by adding counts. Stored flat, [centivolts, count, centivolts, count, ...]
// ascending, because it is saved as JSON in the model's summary.

/** Distinct values a histogram keeps; further new values join the nearest bin (see addVoltage). */
export const MAX_VOLTAGE_BINS = 120;

/** Adds one reading (volts) to the flat histogram `bins`, in place. */
export function addVoltage(bins: number[], volts: number, count = 1): void {
  const cv = Math.round(volts * 100);
  let i = 0;
  while (i < bins.length && bins[i] < cv) i += 2;
  if (i < bins.length && bins[i] === cv) {
    bins[i + 1] += count;
    return;
  }
  if (bins.length / 2 >= MAX_VOLTAGE_BINS) {
    // The bound on the summary's size: a day of 120 distinct centivolt values is already noise or a
    // faulty device; a further value counts at the nearest value kept (off by the gap between them).
    const below = i - 2;
    const nearest = i >= bins.length || (below >= 0 && cv - bins[below] <= bins[i] - cv) ? below : i;
    bins[nearest + 1] += count;
    return;
  }
  bins.splice(i, 0, cv, count);
}

/** Adds every reading of `from` to `into`, in place. */
export function mergeVoltages(into: number[], from: readonly number[]): void {
  for (let i = 0; i < from.length; i += 2) addVoltage(into, from[i] / 100, from[i + 1]);
}

export function voltageCount(bins: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < bins.length; i += 2) n += bins[i];
  return n;
}

/** The k-th smallest reading (0-based), in volts. */
function nth(bins: readonly number[], k: number): number {
  let seen = 0;
  for (let i = 0; i < bins.length; i += 2) {
    seen += bins[i + 1];
    if (k < seen) return bins[i] / 100;
  }
  throw new RangeError(`reading ${k} of ${seen}`);
}

/** The median of the readings, computed exactly as stats/descriptive's median on the raw list. */
export function voltageMedian(bins: readonly number[]): number {
  const n = voltageCount(bins);
  if (n === 0) throw new RangeError('median of no readings');
  if (n === 1) return nth(bins, 0);
  if (n === 2) return (nth(bins, 0) + nth(bins, 1)) / 2;
  const pos = (n - 1) / 2;
  const lo = nth(bins, Math.floor(pos));
  const hi = nth(bins, Math.ceil(pos));
  return lo + (hi - lo) * (pos - Math.floor(pos));
}

/** A copy of `bins` with `count` readings at `volts` taken out (at the nearest value kept, see addVoltage). */
export function removeVoltage(bins: readonly number[], volts: number, count: number): number[] {
  const out = bins.slice();
  if (count <= 0 || out.length === 0) return out;
  const cv = Math.round(volts * 100);
  let nearest = 0;
  for (let i = 2; i < out.length; i += 2) if (Math.abs(out[i] - cv) < Math.abs(out[nearest] - cv)) nearest = i;
  out[nearest + 1] -= count;
  if (out[nearest + 1] <= 0) out.splice(nearest, 2);
  return out;
}
