/** p50, p99 and max of a set of durations (ms), or nulls when there is none. */
export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/**
 * Nearest-rank percentile of ascending values: the smallest value with at least q of the values at or below it.
 * The same rank the other benches print (sorted[ceil(q * n) - 1]), so figures compare across them.
 */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? null;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number | null): number | null => (value === null ? null : Math.round(value));
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.length === 0 ? null : (sorted[sorted.length - 1] ?? null)),
  };
}
