// A bounded memo of line fits by their exact input. The models are pure and re-derive every decision from
// the whole 30-day summary on every score, but most of a fit's input changes once a day (what is folded per
// closed day), so the worker fits the same points again minute after minute. A hit is only taken for the very
// same bits (every x and y, and the level), so a remembered fit is the fit that would have been computed.
// Process-wide and least recently used first out: a worker scoring more cars than it holds just misses
// (a hash and a lookup per fit), it never answers differently.
import type { XY } from './robust-regression.js';

interface Entry<Fit> {
  xs: Float64Array;
  ys: Float64Array;
  level: number;
  fit: Fit;
}

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);

/** Mixes a double's 64 bits into a 32-bit FNV-1a-style hash. */
function mix(hash: number, value: number): number {
  scratch[0] = value;
  return Math.imul(Math.imul(hash ^ words[0], 16777619) ^ words[1], 16777619);
}

export class FitMemo<Fit> {
  /** Buckets by hash (a collision keeps both entries), in least-recently-used order. */
  private readonly buckets = new Map<number, Entry<Fit>[]>();
  private entries = 0;

  constructor(private readonly maxEntries: number) {}

  keyOf(points: readonly XY[], level: number): number {
    let hash = mix(2166136261 ^ points.length, level);
    for (const p of points) hash = mix(mix(hash, p.x), p.y);
    return hash;
  }

  get(key: number, points: readonly XY[], level: number): Fit | undefined {
    const bucket = this.buckets.get(key);
    const entry = bucket?.find((e) => sameInput(e, points, level));
    if (bucket === undefined || entry === undefined) return undefined;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    return entry.fit;
  }

  set(key: number, points: readonly XY[], level: number, fit: Fit): void {
    if (this.maxEntries <= 0) return;
    const entry: Entry<Fit> = { xs: Float64Array.from(points, (p) => p.x), ys: Float64Array.from(points, (p) => p.y), level, fit };
    const bucket = this.buckets.get(key) ?? [];
    this.buckets.delete(key);
    this.buckets.set(key, [...bucket, entry]);
    this.entries++;
    // Oldest first (a Map iterates in insertion order; deleting the entry being visited is safe).
    for (const [oldestKey, oldest] of this.buckets) {
      if (this.entries <= this.maxEntries) break;
      this.buckets.delete(oldestKey);
      this.entries -= oldest.length;
    }
  }

  get size(): number {
    return this.entries;
  }
}

/** The same bits: Object.is tells -0 from 0 (they can give another intercept) and takes NaN as NaN. */
function sameInput<Fit>(entry: Entry<Fit>, points: readonly XY[], level: number): boolean {
  if (entry.xs.length !== points.length || !Object.is(entry.level, level)) return false;
  for (let i = 0; i < points.length; i++) {
    if (!Object.is(entry.xs[i], points[i].x) || !Object.is(entry.ys[i], points[i].y)) return false;
  }
  return true;
}
