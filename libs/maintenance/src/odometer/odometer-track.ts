// The odometer as an incremental summary: the cleaner of odometer-cleaner.ts run one segment at a time
// (its running state carried across segments), feeding a compact track that the distance models decide
// from instead of the raw samples. The track keeps
//  - knots: a piecewise-linear km(t) through the cleaned readings. A drive is one stretch from its first
//    to its last cleaned reading and readings that do not move (parked) extend a flat stretch, so a day
//    costs a few knots, not hundreds of points;
//  - the km at each UTC midnight (interpolated between the two cleaned readings around it, exactly as
//    dailyKm does on the full series): the daily distances are exact;
//  - the counts of dropped readings per day, and the first segment start per day.
// Precision: a lookup (odometerAt) inside a drive interpolates between the drive's first and last
// readings instead of between the two 30-second readings around it: off by at most that drive's
// distance (tens of km; tyre wear and service intervals are counted in thousands). Between drives, at
// the ends and across odometer runs it is exact. Everything else (daily distance, latest and first
// reading, events, dropped counts) is exact against cleanOdometer over the same readings, except the
// two approximations named at `rebase` and `finalizeCleaner`.
import type { TelemetrySegment } from '../incremental/index.js';
import type { OdometerCorrection } from '../maintenance-model.js';
import { DAY_MS, utcDay } from '../common/telemetry-sessions.js';
import type { OdometerCleaning, OdometerDropCounts, OdometerPoint } from './odometer-cleaner.js';

/** Same defaults as cleanOdometer (odometer-cleaner.ts): the two must agree on what a clean reading is. */
const MAX_SPEED_KPH = 250;
const MARGIN_KM = 5;
const ROLLBACK_TOLERANCE_KM = 0.5;
const REBASE_AFTER = 5;
const STUCK_DISTANCE_KM = 2;
const SPEED_VALID_MS = 5 * 60_000;
/**
 * Accepted readings the cleaner may still take back (a spike is at most REBASE_AFTER - 1 readings, and its
 * anchor is the one before): they stay in the cleaner's tail and reach the track only once older.
 */
const TAIL = REBASE_AFTER;
/** Hard bound on knots per UTC day (plus one per odometer run started that day): beyond it the day's last stretch is extended. */
export const MAX_KNOTS_PER_DAY = 24;

type Rejection = 'rollback' | 'jump';
type Midnight = [number, number, number] | [number, number, number, number];
/** [ms after the start of `day`, km, run, day]: the day of the segment the reading came from (what prune drops by). */
type Knot = [number, number, number, number];
const knotT = (k: Knot): number => k[3] * DAY_MS + k[0];
const knot = (t: number, km: number, run: number, day: number): Knot => [t - day * DAY_MS, km, run, day];
/** Interpolated kilometres are kept to the metre: what a JSON summary should not spend 17 digits on. */
const toMetre = (km: number): number => Math.round(km * 1000) / 1000;
const DROP_KINDS = ['invalid', 'duplicate', 'rollback', 'jump', 'spike', 'stuck'] as const;
type DropKind = (typeof DROP_KINDS)[number];

/** A cleaned reading: t (ms), km, odometer run, start (ms) of the telemetry segment it came from. */
interface TrackPoint {
  t: number;
  km: number;
  run: number;
  seg: number;
}

interface PendingReading {
  t: number;
  km: number;
  v: number | null;
  seg: number;
  why: Rejection;
}

export interface OdometerCleanerState {
  /** Current odometer run (cleanOdometer's `segment`). */
  run: number;
  /** Accepted readings not yet on the track (see TAIL), ascending. */
  tail: TrackPoint[];
  lastChangeT: number;
  lastSeenT: number;
  movingKm: number;
  pending: PendingReading[];
  prevT: number | null;
}

export interface OdometerTrack {
  cleaner: OdometerCleanerState;
  /** The piecewise-linear km(t) (see Knot); the last knot is the last reading committed. */
  knots: Knot[];
  /** Start (ms) of the telemetry segment of the last committed reading, and of the last stretch when it lies inside one segment (else -1). */
  lastSeg: number;
  stretchSeg: number;
  /** Knots on the day of the last knot (for the per-day cap). */
  dayKnots: number;
  /** [UTC day whose midnight this is, km at that midnight, run, 1 when it lies across a run change (see commit)]. */
  midnights: Midnight[];
  /** Dropped readings per UTC day (of the segment folded when they were dropped), only days with drops: [invalid, duplicate, rollback, jump, spike, stuck]. */
  dropped: Record<string, number[]>;
  /** First segment start (ms) per UTC day that had telemetry. */
  firstSegment: Record<string, number>;
}

export function emptyOdometerTrack(): OdometerTrack {
  return {
    cleaner: { run: 0, tail: [], lastChangeT: 0, lastSeenT: 0, movingKm: 0, pending: [], prevT: null },
    knots: [],
    lastSeg: -1,
    stretchSeg: -1,
    dayKnots: 0,
    midnights: [],
    dropped: {},
    firstSegment: {},
  };
}

/** Adds a cleaned reading to the track (readings arrive in time order, each once). */
function commit(track: OdometerTrack, p: TrackPoint): void {
  const knots = track.knots;
  const day = utcDay(p.seg);
  const last = knots[knots.length - 1] as Knot | undefined;
  if (last === undefined) {
    if (p.t % DAY_MS === 0) track.midnights.push([p.t / DAY_MS, p.km, p.run]);
  } else if (last[2] !== p.run) {
    // Across a run change the odometer is on two scales. On the current scale (the event's delta added
    // to what lies before it) the gap is flat: its midnights are stored at the old run's last km (the
    // event's delta lifts them to the new run's first) and count only where the change is a known event
    // (marked 1). A midnight exactly at the new run's first reading is that reading's km either way.
    for (let m = Math.floor(knotT(last) / DAY_MS) + 1; m * DAY_MS <= p.t; m++) {
      track.midnights.push(m * DAY_MS === p.t ? [m, p.km, p.run, 0] : [m, last[1], p.run, 1]);
    }
  } else {
    const lastT = knotT(last);
    for (let m = Math.floor(lastT / DAY_MS) + 1; m * DAY_MS <= p.t; m++) {
      const km = p.t > lastT ? last[1] + ((p.km - last[1]) * (m * DAY_MS - lastT)) / (p.t - lastT) : p.km;
      track.midnights.push([m, toMetre(km), p.run]);
    }
  }
  const before = knots[knots.length - 2] as Knot | undefined;
  const sameRunAndDay = last !== undefined && last[2] === p.run && last[3] === day;
  const stretchOk = before !== undefined && before[2] === p.run && before[3] === day;
  const insideDrive = track.stretchSeg === p.seg && track.lastSeg === p.seg;
  const flat = last !== undefined && before !== undefined && p.km === last[1] && last[1] === before[1];
  if (last !== undefined && before?.[2] === p.run && last[2] === p.run && before[3] === last[3] && last[3] !== day && flat) {
    // A parked night: the day's first reading carries the flat stretch on, the last one of the day before
    // adds nothing (the first reading of each day stays a knot: prune cuts there).
    knots[knots.length - 1] = knot(p.t, p.km, p.run, day);
    track.stretchSeg = -1;
    track.dayKnots = 1;
  } else if (sameRunAndDay && stretchOk && (insideDrive || flat || track.dayKnots >= MAX_KNOTS_PER_DAY)) {
    knots[knots.length - 1] = knot(p.t, p.km, p.run, day);
  } else {
    track.stretchSeg = last !== undefined && track.lastSeg === p.seg ? p.seg : -1;
    track.dayKnots = last !== undefined && last[3] === day ? track.dayKnots + 1 : 1;
    knots.push(knot(p.t, p.km, p.run, day));
  }
  track.lastSeg = p.seg;
}

/** The cleaner's step functions over a track (mutated in place). */
class Cleaner {
  constructor(
    private readonly track: OdometerTrack,
    /** The day's drop row, made on the first drop: a segment that drops nothing (most) leaves the map as it was. */
    private readonly drops: () => number[],
  ) {}

  private get s(): OdometerCleanerState {
    return this.track.cleaner;
  }

  lastAccepted(): TrackPoint | undefined {
    const tail = this.s.tail;
    if (tail.length > 0) return tail[tail.length - 1];
    const k = this.track.knots[this.track.knots.length - 1] as Knot | undefined;
    return k === undefined ? undefined : { t: knotT(k), km: k[1], run: k[2], seg: this.track.lastSeg };
  }

  drop(kind: DropKind, n = 1): void {
    if (n > 0) this.drops()[DROP_KINDS.indexOf(kind)] += n;
  }

  private push(p: TrackPoint): void {
    this.s.tail.push(p);
    if (this.s.tail.length > TAIL) {
      const oldest = this.s.tail.shift();
      if (oldest !== undefined) commit(this.track, oldest);
    }
  }

  private static allowance(fromT: number, toT: number): number {
    return (MAX_SPEED_KPH * Math.max(0, toT - fromT)) / 3_600_000 + MARGIN_KM;
  }

  private static classify(last: { km: number }, changeT: number, r: { t: number; km: number }): Rejection | 'ok' {
    const delta = r.km - last.km;
    if (delta < -ROLLBACK_TOLERANCE_KM) return 'rollback';
    if (delta > Cleaner.allowance(changeT, r.t)) return 'jump';
    return 'ok';
  }

  accept(r: { t: number; km: number; v: number | null; seg: number }): void {
    const s = this.s;
    const last = this.lastAccepted();
    if (last === undefined || last.run !== s.run || r.km > last.km) {
      this.push({ t: r.t, km: r.km, run: s.run, seg: r.seg });
      s.lastChangeT = r.t;
      s.lastSeenT = r.t;
      s.movingKm = 0;
      return;
    }
    const dt = r.t - s.lastSeenT;
    if (dt <= SPEED_VALID_MS) s.movingKm += ((r.v ?? 0) * dt) / 3_600_000;
    s.lastSeenT = r.t;
    if (s.movingKm > STUCK_DISTANCE_KM) {
      this.drop('stuck');
      return;
    }
    this.push({ t: r.t, km: last.km, run: s.run, seg: r.seg });
  }

  dropPending(): void {
    for (const p of this.s.pending) this.drop(p.why);
    this.s.pending = [];
  }

  private consistentWithPending(r: { t: number; km: number }): boolean {
    const tail = this.s.pending[this.s.pending.length - 1];
    const delta = r.km - tail.km;
    return delta >= -ROLLBACK_TOLERANCE_KM && delta <= Cleaner.allowance(tail.t, r.t);
  }

  /**
   * cleanOdometer's rebase. The spike search walks back over the tail and the last committed reading.
   * Approximation: when all of those are above the new readings (only after a second spike within a few
   * readings of the first, so the tail has not refilled), older committed readings cannot be taken back:
   * the change is taken as a new run instead of a spike.
   */
  private rebase(): void {
    const s = this.s;
    const first = s.pending[0];
    const walk: TrackPoint[] = [...s.tail].reverse();
    const committed = this.track.knots[this.track.knots.length - 1] as Knot | undefined;
    if (committed !== undefined) walk.push({ t: knotT(committed), km: committed[1], run: committed[2], seg: this.track.lastSeg });
    let above = 0;
    let anchor: TrackPoint | undefined;
    let known = false; // the walk found the anchor or the start of the run
    for (const p of walk) {
      if (p.run !== s.run) {
        known = true;
        break;
      }
      if (p.km > first.km + ROLLBACK_TOLERANCE_KM) {
        above++;
        continue;
      }
      anchor = p;
      known = true;
      break;
    }
    if (!known && committed === undefined) known = true; // the walk covered every reading ever accepted
    const removable = above <= s.tail.length;
    const spike =
      known && removable && above > 0 && above < s.pending.length && (anchor === undefined || Cleaner.classify(anchor, anchor.t, first) === 'ok');
    if (spike) {
      this.drop('spike', above);
      s.tail.length -= above;
      if (anchor !== undefined) s.lastChangeT = s.lastSeenT = anchor.t;
    } else {
      s.run++;
    }
    const believed = s.pending;
    s.pending = [];
    for (const r of believed) this.accept(r);
  }

  /** One reading, after the duplicate and validity checks. `breakBefore`: a confirmed change lies between the last accepted reading and this one. */
  step(r: { t: number; km: number; v: number | null; seg: number }, breakBefore = false): void {
    const s = this.s;
    const last = this.lastAccepted();
    if (last === undefined) {
      this.accept(r);
      return;
    }
    if (breakBefore) {
      this.dropPending();
      s.run++;
      this.accept(r);
      return;
    }
    const verdict = Cleaner.classify(last, s.lastChangeT, r);
    if (verdict === 'ok') {
      this.dropPending();
      this.accept(r);
      return;
    }
    if (s.pending.length > 0 && !this.consistentWithPending(r)) this.dropPending();
    s.pending.push({ ...r, why: verdict });
    if (s.pending.length >= REBASE_AFTER) this.rebase();
  }
}

function dropRow(track: OdometerTrack, day: number): number[] {
  const key = String(day);
  return track.dropped[key] ?? (track.dropped[key] = [0, 0, 0, 0, 0, 0]);
}

function tidyDrops(track: OdometerTrack, day: number): void {
  const row = track.dropped[String(day)] as number[] | undefined;
  if (row !== undefined && row.every((n) => n === 0))
    track.dropped = Object.fromEntries(Object.entries(track.dropped).filter(([d]) => d !== String(day)));
}

/** Folds one segment's odometer readings (mutates and returns the track). O(segment). */
export function foldOdometer(track: OdometerTrack, segment: TelemetrySegment): OdometerTrack {
  const day = utcDay(segment.startMs);
  const key = String(day);
  if (track.firstSegment[key] === undefined) track.firstSegment[key] = segment.startMs;
  const cleaner = new Cleaner(track, () => dropRow(track, day));
  for (const sample of segment.samples) {
    if (sample.odometerKm === undefined) continue;
    const t = sample.ts.getTime();
    if (!Number.isFinite(sample.odometerKm) || sample.odometerKm < 0 || !Number.isFinite(t)) {
      cleaner.drop('invalid');
      continue;
    }
    // Readings already folded are skipped: the driver may fold the open segment into the summary it
    // saves (when it does not copy it first) and reads that segment again next time; each reading is
    // folded once, in order. (Duplicate timestamps never get here: cleanSamples keeps the first.)
    if (track.cleaner.prevT !== null && t <= track.cleaner.prevT) continue;
    track.cleaner.prevT = t;
    cleaner.step({ t, km: sample.odometerKm, v: sample.speedKph ?? null, seg: segment.startMs });
  }
  tidyDrops(track, day);
  return track;
}

/**
 * Drops what belongs to days before the horizon: knots of segments that started before it, midnights
 * before the first kept knot (the full path's daily distances start at its first reading), drop counts
 * and segment starts of those days. The cleaner's running state is kept: it is the last reading, not a day's.
 */
export function pruneOdometer(track: OdometerTrack, horizonMs: number): OdometerTrack {
  const horizonDay = utcDay(horizonMs);
  let k = 0;
  while (k < track.knots.length && track.knots[k][3] < horizonDay) k++;
  if (k > 0) track.knots = track.knots.slice(k);
  const firstT = track.knots.length > 0 ? knotT(track.knots[0]) : Infinity;
  let m = 0;
  while (m < track.midnights.length && track.midnights[m][0] * DAY_MS < firstT) m++;
  if (m > 0) track.midnights = track.midnights.slice(m);
  // Pruned on every score, a day leaving the window once a day: the maps are rebuilt only then.
  const kept = (days: Record<string, unknown>): boolean => Object.keys(days).every((d) => Number(d) >= horizonDay);
  if (!kept(track.dropped)) track.dropped = Object.fromEntries(Object.entries(track.dropped).filter(([d]) => Number(d) >= horizonDay));
  if (!kept(track.firstSegment)) track.firstSegment = Object.fromEntries(Object.entries(track.firstSegment).filter(([d]) => Number(d) >= horizonDay));
  // The tail's readings are committed later; the full path never saw those from before the horizon.
  track.cleaner.tail = track.cleaner.tail.filter((p) => utcDay(p.seg) >= horizonDay);
  return track;
}

/**
 * A copy finalizeCleaner may change without touching the summary: its arrays and the drop row of `day` are new, the
 * readings, knots and midnights in them are shared (the cleaner and commit replace those, never change them). A deep
 * copy of every knot cost ~0.1 ms per distance model and score.
 */
function copyForFinish(track: OdometerTrack, day: number): OdometerTrack {
  const row = track.dropped[String(day)] as number[] | undefined;
  return {
    cleaner: { ...track.cleaner, tail: [...track.cleaner.tail], pending: [...track.cleaner.pending] },
    knots: [...track.knots],
    lastSeg: track.lastSeg,
    stretchSeg: track.stretchSeg,
    dayKnots: track.dayKnots,
    midnights: [...track.midnights],
    dropped: row === undefined ? { ...track.dropped } : { ...track.dropped, [String(day)]: [...row] },
    firstSegment: track.firstSegment,
  };
}

/**
 * The end of the readings, as cleanOdometer ends them: pending readings are dropped, the tail goes on the
 * track. Confirmed changes (`breaksAt`) apply to the pending readings only: the fold does not see the
 * corrections (they are context, not telemetry). That is exact for a change confirmed after its readings
 * were rejected (the case staff confirm: too few readings yet for the cleaner to believe it); one confirmed
 * for readings already folded is found by the cleaner itself after REBASE_AFTER agreeing readings, at the
 * same reading, unless it is within the speed allowance (then it is counted as driven).
 */
function finalizeCleaner(track: OdometerTrack, breaksAt: readonly number[], day: number): OdometerTrack {
  const out = copyForFinish(track, day);
  const cleaner = new Cleaner(out, () => dropRow(out, day));
  const pending = out.cleaner.pending;
  if (breaksAt.length > 0 && pending.length > 0) {
    out.cleaner.pending = [];
    for (const r of pending) {
      const last = cleaner.lastAccepted();
      const brk = last !== undefined && breaksAt.some((b) => b > last.t && b <= r.t);
      cleaner.step(r, brk);
    }
  }
  cleaner.dropPending();
  for (const p of out.cleaner.tail) commit(out, p);
  out.cleaner.tail = [];
  tidyDrops(out, day);
  return out;
}

export interface OdometerEventAt {
  t: number;
  fromKm: number;
  toKm: number;
}

/** What a distance model decides from: the finished track as an OdometerCleaning (knots as its points) plus the daily distances. */
export interface OdometerView {
  cleaning: OdometerCleaning;
  /** Kilometres driven per whole UTC day, in order (dailyKm of the full series). */
  dailyKm: number[];
  /** Run changes: where the cleaner started a new run (a jump, reset or rollback), not joined by an event. */
  runChanges: OdometerEventAt[];
  /** Start of the first segment with telemetry in the window (ms), or undefined. */
  firstSampleMs: number | undefined;
  /** What moves an odometer value read at `t` (ms) onto this view's scale (0 on the cleaner's own). */
  kmShiftAt(t: number): number;
}

/** A track with its readings ended (finalizeCleaner): what the views read. */
export interface FinishedTrack {
  readonly done: OdometerTrack;
}

export function finishTrack(track: OdometerTrack, corrections: readonly OdometerCorrection[], now: Date): FinishedTrack {
  const breaks = corrections.filter((c) => c.effectiveAt.getTime() <= now.getTime()).map((c) => c.effectiveAt.getTime());
  return { done: finalizeCleaner(track, breaks, utcDay(now.getTime())) };
}

/** Where the runs change on a finished track: the odometer events before any is confirmed or known. */
export function runChangesOf(finished: FinishedTrack): OdometerEventAt[] {
  const knots = finished.done.knots;
  const out: OdometerEventAt[] = [];
  for (let i = 1; i < knots.length; i++)
    if (knots[i][2] !== knots[i - 1][2]) out.push({ t: knotT(knots[i]), fromKm: knots[i - 1][1], toKm: knots[i][1] });
  return out;
}

/**
 * The view of a finished track. With `events`, on the car's current odometer scale (onCurrentScale for
 * the track): every reading before an event moved by its delta, and the runs an event joins made one,
 * so the distance across it is not driven and the days around it count what was driven.
 */
export function odometerView(finished: FinishedTrack, events: readonly { at: string; deltaKm: number }[] = []): OdometerView {
  const done = finished.done;
  const shifts = events.map((e) => ({ t: Date.parse(e.at), deltaKm: e.deltaKm }));
  const shiftAt = (t: number): number => {
    let sum = 0;
    for (const s of shifts) if (t < s.t) sum += s.deltaKm;
    return sum;
  };
  const changes = runChangesOf(finished);
  const joinedAt = new Set(changes.filter((c) => shifts.some((s) => s.t === c.t)).map((c) => c.t));
  const points: OdometerPoint[] = [];
  const joinedRun = new Set<number>(); // runs whose start is joined to the run before
  let run = 0;
  for (let i = 0; i < done.knots.length; i++) {
    const t = knotT(done.knots[i]);
    const [, km, r] = done.knots[i];
    if (i > 0 && r !== done.knots[i - 1][2]) {
      if (joinedAt.has(t)) joinedRun.add(r);
      else run++;
    }
    points.push({ ts: new Date(t), km: shifts.length > 0 ? km + shiftAt(t) : km, segment: run });
  }
  const dailyKm: number[] = [];
  const mids = done.midnights;
  for (let i = 1; i < mids.length; i++) {
    const a = mids[i - 1];
    const b = mids[i];
    if (b[0] !== a[0] + 1) continue;
    // A day that touches a run change counts only on the current scale, where its event joins the runs.
    const across = (m: Midnight): boolean => m.length === 4 && m[3] === 1;
    if ((across(a) || across(b) || a[2] !== b[2]) && !joinedRun.has(b[2])) continue;
    dailyKm.push(b[1] + shiftAt(b[0] * DAY_MS) - (a[1] + shiftAt(a[0] * DAY_MS)));
  }
  const dropped: OdometerDropCounts = { invalid: 0, duplicate: 0, rollback: 0, jump: 0, spike: 0, stuck: 0 };
  for (const row of Object.values(done.dropped)) DROP_KINDS.forEach((kind, i) => (dropped[kind] += row[i]));
  const starts = Object.values(done.firstSegment);
  return {
    cleaning: { points, segmentCount: run + 1, dropped, outOfOrder: 0 },
    dailyKm,
    runChanges: changes.filter((c) => !joinedAt.has(c.t)),
    firstSampleMs: starts.length > 0 ? Math.min(...starts) : undefined,
    kmShiftAt: shiftAt,
  };
}
