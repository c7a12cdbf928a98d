import { LRUCache } from 'lru-cache';
import { LATE_ARRIVAL_MS, oldestOpenTireDayMs, type TireReadingPoint } from '#app/maintenance';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * An hour is closed (its hourly medians final) this long after it ended. A sample stored more than LATE_ARRIVAL_MS
 * after its time marks the car (vehicles.lateSampleTs, set by the telemetry writer in the insert's own statement);
 * one stored in time may still commit a little after that, so twice the margin.
 */
export const TIRE_HOUR_CLOSE_AFTER_MS = 2 * LATE_ARRIVAL_MS;

/** What the car's row said when a score started: whether the hours held for it are still the car's. */
export interface TireHourFreshness {
  /** vehicles.lastScoredAt: only markScored writes it, so it names the score that marked the car last. */
  lastScoredAt: Date | null;
  /** vehicles.lateSampleTs: the oldest sample stored late since the car was last marked scored, if any. */
  lateSampleTs: Date | null;
}

interface HeldHours {
  /** The first ms the held hours cover (the tyre summary's day watermark when they were read). */
  fromMs: number;
  /** The end of the last closed hour held (an hour's start). */
  untilMs: number;
  /** The scoredAt of the score that read them: valid only while that score is the one that marked the car last. */
  scoredAtMs: number;
  points: readonly TireReadingPoint[];
}

/**
 * The device tyre readings' hourly medians (per wheel) of the closed hours of the days the tyre summary has not
 * folded yet, per vehicle, so a score reads only the hours since. A day is folded a whole day after it ended
 * (TIRE_DAY_CLOSE_AFTER_MS), so without this every score re-aggregated 24-48 hours of raw readings: for a device
 * that reports tyres every 10 s while driving all day, ~20,000 rows a score, the one read of a score that grew with
 * the time since midnight instead of with what is new.
 *
 * Why it is safe: a closed hour's medians are a function of its rows, which only grow, and only by a sample stored
 * late, which the telemetry writer records on the car (lateSampleTs); the hours from that sample's on are read again.
 * lateSampleTs is cleared by the score that marks the car at the version it read, so the held hours count only while
 * the score that read them is the one that marked the car last (lastScoredAt): a car scored by another worker, a
 * score that failed before its mark, or two scores of one car at once here, and the hours are read again. Held in the
 * worker's memory only (read again after a restart), least recently used vehicle out; the points are frozen, so a
 * model that tried to change one would throw instead of changing the next score's input.
 */
export class TireHourCache {
  /** Undefined at size 0 (turned off). */
  private readonly vehicles: LRUCache<string, HeldHours> | undefined;
  /** Reads in flight per vehicle, and whether two overlapped since the first began (then none of them keeps). */
  private readonly reading = new Map<string, { inFlight: number; overlapped: boolean }>();

  constructor(maxVehicles: number) {
    this.vehicles = maxVehicles > 0 ? new LRUCache({ max: maxVehicles }) : undefined;
  }

  /**
   * The held hours a score of the vehicle can start from (hours at or after `fromMs`, the watermark of the read),
   * and marks a read in flight; null: read the whole window of device readings. Every take is followed by one
   * `keep` or `release`.
   */
  take(vehicleId: string, fromMs: number, freshness: TireHourFreshness): { untilMs: number; points: readonly TireReadingPoint[] } | null {
    const running = this.reading.get(vehicleId);
    if (running === undefined) this.reading.set(vehicleId, { inFlight: 1, overlapped: false });
    else {
      running.inFlight++;
      running.overlapped = true;
      this.vehicles?.delete(vehicleId);
      return null;
    }
    const held = this.vehicles?.get(vehicleId);
    if (held === undefined) return null;
    // A watermark that went back (a rebuild) or a score that is not the last mark: nothing held can be trusted.
    if (fromMs < held.fromMs || freshness.lastScoredAt?.getTime() !== held.scoredAtMs) {
      this.vehicles?.delete(vehicleId);
      return null;
    }
    const lateHour = freshness.lateSampleTs === null ? Infinity : Math.floor(freshness.lateSampleTs.getTime() / HOUR_MS) * HOUR_MS;
    const untilMs = Math.min(held.untilMs, lateHour);
    if (untilMs <= fromMs) return null;
    return { untilMs, points: held.points.filter((p) => p.ts.getTime() >= fromMs && p.ts.getTime() < untilMs) };
  }

  /**
   * Holds the closed hours of `points` (the device hourly medians from `fromMs`, held and read together) for the next
   * score, read by the score whose scoredAt is `now`. Not when another read of the car overlapped this one: each
   * would hold hours checked against a mark the other may have moved.
   */
  keep(vehicleId: string, fromMs: number, points: readonly TireReadingPoint[], now: Date): void {
    const alone = this.release(vehicleId);
    if (!alone || this.vehicles === undefined) return;
    // Readings of days this score folds for good (a first score, a rebuild: months of them) are not held: the next
    // score reads from the watermark the fold moved, and holds from there. Without them what is held is at most the
    // open days' hours (two days and a bit).
    const foldedBefore = oldestOpenTireDayMs(now) - DAY_MS;
    if (points.some((p) => p.ts.getTime() < foldedBefore)) return;
    const untilMs = Math.floor((now.getTime() - TIRE_HOUR_CLOSE_AFTER_MS) / HOUR_MS) * HOUR_MS;
    if (untilMs <= fromMs) return;
    // Hours held before come back as the frozen copies they were kept as; only the newly read ones are copied.
    const closed = points.filter((p) => p.ts.getTime() < untilMs).map((p) => (Object.isFrozen(p) ? p : Object.freeze({ ...p })));
    this.vehicles.set(vehicleId, { fromMs, untilMs, scoredAtMs: now.getTime(), points: closed });
  }

  /** Ends a read without keeping anything (it failed); true when no other read of the car overlapped it. */
  release(vehicleId: string): boolean {
    const running = this.reading.get(vehicleId);
    if (running === undefined) return false;
    running.inFlight--;
    if (running.inFlight === 0) this.reading.delete(vehicleId);
    if (running.overlapped) this.vehicles?.delete(vehicleId);
    return !running.overlapped;
  }

  get size(): number {
    return this.vehicles?.size ?? 0;
  }
}
