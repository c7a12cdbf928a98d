// The engine-cooling model's incremental summary: what it keeps of 30 days of telemetry, folded one
// segment at a time (see ../incremental). Per UTC day (the day the segment STARTED on): a histogram of
// the warmed-up readings (counts per 0.1 C, so the day's median is exact to 0.1 C and two folds
// merge), the drives' counts, the warm-up facts of the drives that can judge the thermostat, and the
// episodes above the danger and overheat lines. Across segments: the stuck-sensor detector's current
// flat run, and the runs it found.
//
// Stuck readings. The full model used to find the flat runs first and drop their readings before it
// analysed the drives. A run only counts once it has lasted 3 hours, so a fold cannot know, when it
// meets a reading, whether the reading will turn out to be stuck. Instead every run remembers, per day,
// how many warm readings it holds (all at its one value: a run is maximal, so every reading inside it
// has that value), how many drives lay wholly inside it and their driving time; drive records (warm-ups,
// episodes) that lay wholly inside a run carry its id. `decide` subtracts what the runs that qualified
// hold, so a stuck period never teaches the baseline, even retroactively. The approximation, applied
// in both paths alike: a drive only partly inside a stuck run is analysed with its stuck readings
// (its warm-up cut and episodes may differ from an analysis without them; its stuck warm readings are
// still removed from the day's histogram).
//
// Warm drives (summary version 2). Every drive with enough warmed-up readings leaves 3 characters in
// its day: the median of its warm readings and how many there were. The sudden-step finding decides
// per drive from them (a step shows on the first drives after it, long before 20 warm readings a day
// move a daily median). Per day, not per summary, so the horizon and a reset drop them with their day
// (a mid-day reset leaves the day's drives out whole, as it does the day's histogram). A drive wholly
// inside a stuck run has every warm reading at the run's value: decide drops, per day, as many drives
// with exactly that median as the run holds drives (the approximation: a genuine drive with the same
// median may go instead of the stuck one; their medians, which is all the finding reads, are equal).
import { splitDrives, utcDay, DAY_MS, type DriveSession } from '../common/telemetry-sessions.js';
import type { TelemetrySegment } from '../incremental/index.js';
import { analyseDrive, type DriveCoolantFacts, type OverheatEpisode } from './coolant-drive-analysis.js';
import type { DangerDay, ThermostatDrive, WarmDrive } from './coolant-findings.js';

/** 3: drives with 3 warm readings count (minWarmReadingsPerDrive); a summary of version 2 is rebuilt. */
export const COOLANT_SUMMARY_VERSION = 'engine-cooling-summary/3';

export const COOLANT_SUMMARY_LIMITS = {
  /** Warm readings are binned within this band (tenths of C); beyond it they count at the edge. */
  histogramTenths: [400, 1400] as const,
  /**
   * Judged drives kept for the thermostat (the latest): past a drive that was warm by any standard
   * (peak >= 80 C, never below the cold line) only it and the 9 before it matter, so the list stays
   * short; a trailing run of cold drives longer than this is counted as this many.
   */
  judgedKept: 64,
  /** Peak (tenths of C) that is warm against any cold line (75-80 C): it ends every cold run. */
  surelyWarmTenths: 800,
  /** Drives before the cold run the thermostat finding compares with (THERMOSTAT_SETTINGS.referenceDrives). */
  referenceDrives: 10,
  warmupsPerDay: 24,
  /** Warm drives kept per day (a taxi makes ~15). */
  warmDrivesPerDay: 24,
  /**
   * A drive needs this many warmed-up moving readings (1.5 minutes at the scorer's 30-s buckets) to count:
   * a median of 3 readings ignores one bad reading and is within ~0.5 C on a noisy sensor, far inside the
   * step finding's 5 C margin. Was 4 (summary version 2): seed 2's low-mileage car 39 warmed up only in the
   * last 1.5 minutes of its one warm drive in the two driving days after its step (3 readings at 101.2 C
   * against 90.2 C before), so the step waited for a fourth driving day.
   */
  minWarmReadingsPerDrive: 3,
  episodesPerDay: 16,
  /** Stuck runs kept (the latest): each needs 3 hours of identical readings, so 16 is a very broken sensor. */
  stuckRuns: 16,
  stuckSensorMs: 3 * 3_600_000,
  stuckSensorMinPoints: 360,
} as const;

/**
 * A judged drive's warm-up (long and fast enough to warm up, not in deep cold): [start (s since the
 * epoch), peak after minute 10, coolant at minute 6 or null, mean ambient or null (all in tenths of
 * C), and the id of the flat run it lay wholly inside, only when it did].
 */
export type JudgedWarmupRecord = [number, number, number | null, number | null] | [number, number, number | null, number | null, number];
/** An episode at or above 110 C: [start (s after midnight), duration s, peak (tenths of C), longest s above 115 C, run id or 0]. */
export type OverheatRecord = [number, number, number, number, number];
/** An episode above 105 C lasting >= 10 s: [start (s after midnight), peak (tenths of C), run id or 0]. */
export type DangerRecord = [number, number, number];

export interface CoolingDay {
  /** UTC day number (days since the epoch). */
  day: number;
  /** Readings in the day's segments (engine off included): the evidence's sample count. */
  n: number;
  /** Drives, and their running time (s). */
  d: number;
  rs: number;
  /** Warmed-up moving readings: count per 0.1 C, `h[i]` counting readings at (lo + i) / 10 C. */
  lo: number;
  /** Encoded by encodeCounts: one character per bin (see there). */
  h: string;
  // The rest is absent when empty (most days): it keeps the saved JSON small.
  /** Cold-start warm-up durations (s), at most warmupsPerDay. */
  wu?: number[];
  /** Judged drives (the evidence's count; the drives themselves are in EngineCoolingSummary.judged). */
  jn?: number;
  o?: OverheatRecord[];
  x?: DangerRecord[];
  /**
   * Warm drives, 3 characters each in time order: the drive's warm median in tenths of C above the
   * histogram band's floor (2 base-62 digits) and its warm readings (1 digit, capped at 61). At most
   * warmDrivesPerDay.
   */
  wd?: string;
}

/** What one flat run (identical running coolant readings) holds from the segments that started on a day. */
export interface RunDay {
  day: number;
  /** Readings, and the first one's time (ms). */
  p: number;
  f: number;
  /** Warm readings (all at the run's value), drives wholly inside the run, their running time (s), judged ones. */
  w: number;
  d: number;
  rs: number;
  j: number;
}

export interface FlatRunRecord {
  /** The time (ms) of the run's first reading when it was found: the id drive records refer to. */
  id: number;
  v: number;
  /** The time (ms) of its last reading. */
  e: number;
  /** Ascending by day. */
  days: RunDay[];
}

export interface EngineCoolingSummary {
  /** Ascending by day. An array, not an object keyed by day: folds copy it, and V8 copies small arrays fastest. */
  days: CoolingDay[];
  /** Judged drives' warm-ups, oldest first: the thermostat finding's input (see judgedKept). */
  judged: JudgedWarmupRecord[];
  /** The stuck-sensor detector's current run (it may span segments and days). */
  run: FlatRunRecord | null;
  /** Closed runs that lasted long enough to be a stuck sensor. */
  stuck: FlatRunRecord[];
}

export function emptyCoolantSummary(): EngineCoolingSummary {
  return { days: [], judged: [], run: null, stuck: [] };
}

function emptyDay(day: number): CoolingDay {
  return { day, n: 0, d: 0, rs: 0, lo: 0, h: '' };
}

// Copy-on-write: the summary a fold is given stays untouched (the driver folds the open tail into the
// saved one). A parked reading only copies the day list and the day's counters; a drive also copies the
// day's lists and the detector's current run, once per fold.
function copyDayLists(day: CoolingDay): CoolingDay {
  const copy: CoolingDay = { ...day };
  if (day.wu) copy.wu = day.wu.slice();
  if (day.o) copy.o = day.o.slice();
  if (day.x) copy.x = day.x.slice();
  return copy;
}

function copyRun(run: FlatRunRecord): FlatRunRecord {
  return { ...run, days: run.days.map((d) => ({ ...d })) };
}

export function tenths(c: number): number {
  const [low, high] = COOLANT_SUMMARY_LIMITS.histogramTenths;
  return Math.min(high, Math.max(low, Math.round(c * 10)));
}

const tenthsOrNull = (c: number | null): number | null => (c === null || !Number.isFinite(c) ? null : Math.round(c * 10));

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A histogram's counts as text: one base-62 digit per 0.1 C bin, a count of 62 or more written as
 * "(decimal)". A day of ~25 bins takes ~25 characters instead of ~60 as a JSON array of numbers: the
 * histograms are the largest part of the summary.
 */
export function encodeCounts(counts: readonly number[]): string {
  let text = '';
  for (const c of counts) text += c < DIGITS.length ? DIGITS[c] : `(${String(c)})`;
  return text;
}

export function decodeCounts(text: string): number[] {
  const counts: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') {
      const close = text.indexOf(')', i);
      counts.push(Number(text.slice(i + 1, close)));
      i = close;
    } else {
      counts.push(DIGITS.indexOf(text[i]));
    }
  }
  return counts;
}

function addToHistogram(day: CoolingDay, readings: readonly (readonly [number, number])[]): void {
  if (readings.length === 0) return;
  let lo = day.lo;
  let counts = decodeCounts(day.h);
  for (const [, c] of readings) {
    const k = tenths(c);
    if (counts.length === 0) lo = k;
    if (k < lo) {
      counts = [...new Array<number>(lo - k).fill(0), ...counts];
      lo = k;
    }
    const i = k - lo;
    while (counts.length <= i) counts.push(0);
    counts[i]++;
  }
  day.lo = lo;
  day.h = encodeCounts(counts);
}

/** The run's entry for `day`: folds come in time order, so it is the last one or a new one. */
function runDay(run: FlatRunRecord, day: number, t: number): RunDay {
  const last = run.days.at(-1);
  if (last?.day === day) return last;
  const entry: RunDay = { day, p: 0, f: t, w: 0, d: 0, rs: 0, j: 0 };
  run.days.push(entry);
  return entry;
}

/** A run's extent counting only the days from `fromDay` on (the horizon, or the last reset). */
export function runExtent(run: FlatRunRecord, fromDay: number): { points: number; startT: number; endT: number } | null {
  let points = 0;
  let first: RunDay | null = null;
  for (const entry of run.days) {
    if (entry.day < fromDay) continue;
    points += entry.p;
    first ??= entry;
  }
  return first === null ? null : { points, startT: first.f, endT: run.e };
}

export function isStuckRun(run: FlatRunRecord, fromDay: number): boolean {
  const extent = runExtent(run, fromDay);
  return (
    extent !== null &&
    extent.points >= COOLANT_SUMMARY_LIMITS.stuckSensorMinPoints &&
    extent.endT - extent.startT >= COOLANT_SUMMARY_LIMITS.stuckSensorMs
  );
}

/** Mutable fold state: the copies this fold may change. */
interface FoldState {
  judged: JudgedWarmupRecord[];
  run: FlatRunRecord | null;
  stuck: FlatRunRecord[];
}

function closeRun(state: FoldState): void {
  // Judged before pruning, on all its days: prune and decide judge it again on the days they keep.
  if (state.run !== null && isStuckRun(state.run, -Infinity)) {
    state.stuck = [...state.stuck, state.run].slice(-COOLANT_SUMMARY_LIMITS.stuckRuns);
  }
  state.run = null;
}

/**
 * Feeds the drive's coolant readings to the flat-run detector (the series of running readings, the one
 * findFlatRuns used to scan whole). Returns the id of the run the drive lay wholly inside, or 0.
 */
function feedDetector(state: FoldState, drive: DriveSession, facts: DriveCoolantFacts, day: number): number {
  const warm = facts.warmReadings;
  let wi = 0;
  let firstId: number | null = null;
  for (const p of drive.samples) {
    const v = p.coolantTempC;
    if (v === undefined) continue;
    const t = p.ts.getTime();
    let run = state.run;
    if (run?.v !== v) {
      closeRun(state);
      run = state.run = { id: t, v, e: t, days: [] };
    }
    run.e = t;
    const entry = runDay(run, day, t);
    entry.p++;
    // Warm readings are a subsequence of the drive's coolant readings, in the same order.
    if (wi < warm.length && warm[wi][0] === t) {
      entry.w++;
      wi++;
    }
    firstId ??= run.id;
  }
  if (firstId === null || state.run?.id !== firstId) return 0;
  const entry = runDay(state.run, day, drive.startMs);
  entry.d++;
  entry.rs += runningSeconds(facts);
  if (facts.warmup.judged) entry.j++;
  return firstId;
}

const runningSeconds = (facts: DriveCoolantFacts): number => Math.round(facts.warmup.runningMinutes * 60);

function pushCapped<T>(list: T[] | undefined, item: T, cap: number): T[] {
  if (list === undefined) return [item];
  if (list.length < cap) list.push(item);
  return list;
}

/**
 * Appends a judged drive. After a drive warm by any standard (and not inside a flat run, which decide
 * may discard) no cold run can reach further back, and the finding compares with the 10 judged drives
 * before the cold run: older ones can go. Exact for any cold line in 75-80 C, for a reset (it only
 * cuts older drives) and for the horizon (it prunes the same drives in both paths).
 */
function addJudged(state: FoldState, record: JudgedWarmupRecord): void {
  const L = COOLANT_SUMMARY_LIMITS;
  const surelyWarm = record[1] >= L.surelyWarmTenths && record.length === 4;
  state.judged = [...state.judged, record].slice(surelyWarm ? -L.referenceDrives : -L.judgedKept);
}

/** The median of a drive's warm readings (as `median()` computes it), in tenths of C within the histogram band. */
function warmMedianTenths(readings: readonly (readonly [number, number])[]): number {
  const values = readings.map(([, c]) => c).sort((a, b) => a - b);
  const mid = (values.length - 1) / 2;
  return tenths((values[Math.floor(mid)] + values[Math.ceil(mid)]) / 2);
}

function encodeWarmDrive(medianTenths: number, readings: number): string {
  const offset = medianTenths - COOLANT_SUMMARY_LIMITS.histogramTenths[0];
  const base = DIGITS.length;
  return DIGITS[Math.floor(offset / base)] + DIGITS[offset % base] + DIGITS[Math.min(readings, base - 1)];
}

function decodeWarmDrives(text: string): { medianTenths: number; readings: number }[] {
  const base = DIGITS.length;
  const drives: { medianTenths: number; readings: number }[] = [];
  for (let i = 0; i + 2 < text.length; i += 3) {
    const offset = DIGITS.indexOf(text[i]) * base + DIGITS.indexOf(text[i + 1]);
    drives.push({ medianTenths: COOLANT_SUMMARY_LIMITS.histogramTenths[0] + offset, readings: DIGITS.indexOf(text[i + 2]) });
  }
  return drives;
}

function addDrive(state: FoldState, day: CoolingDay, facts: DriveCoolantFacts, runId: number): void {
  const L = COOLANT_SUMMARY_LIMITS;
  const warmDrives = (day.wd ?? '').length / 3;
  if (facts.warmReadings.length >= L.minWarmReadingsPerDrive && warmDrives < L.warmDrivesPerDay) {
    day.wd = (day.wd ?? '') + encodeWarmDrive(warmMedianTenths(facts.warmReadings), facts.warmReadings.length);
  }
  const sinceMidnight = (ms: number): number => Math.round((ms - day.day * DAY_MS) / 1000);
  const inRun = runId === 0 ? [] : [runId];
  day.d++;
  day.rs += runningSeconds(facts);
  addToHistogram(day, facts.warmReadings);
  if (facts.warmupMinutes !== null) day.wu = pushCapped(day.wu, Math.round(facts.warmupMinutes * 60), L.warmupsPerDay);
  const w = facts.warmup;
  if (w.judged && w.peakAfterCheckC !== null) {
    day.jn = (day.jn ?? 0) + 1;
    const record = [Math.round(w.startMs / 1000), Math.round(w.peakAfterCheckC * 10), tenthsOrNull(w.at6MinC), tenthsOrNull(w.ambientC), ...inRun];
    addJudged(state, record as JudgedWarmupRecord);
  }
  for (const e of facts.episodes) {
    day.o = pushCapped(day.o, [sinceMidnight(e.startMs), e.durationS, Math.round(e.peakC * 10), e.criticalS, runId], L.episodesPerDay);
  }
  for (const e of facts.dangerEpisodes) {
    if (e.durationS < 10) continue;
    day.x = pushCapped(day.x, [sinceMidnight(e.startMs), Math.round(e.peakC * 10), runId], L.episodesPerDay);
  }
}

/** Folds one segment (one drive with its engine-off readings, or one parked reading). O(segment). */
export function foldCoolantSegment(summary: EngineCoolingSummary, segment: TelemetrySegment): EngineCoolingSummary {
  const dayNumber = utcDay(segment.startMs);
  const days = summary.days.slice();
  // Segments come in time order: the day is the last one, or a new one after it.
  let index = days.length - 1;
  while (index >= 0 && days[index].day > dayNumber) index--;
  if (index < 0 || days[index].day !== dayNumber) days.splice(++index, 0, emptyDay(dayNumber));
  // Most segments are one parked reading (48-288 a day): they only add to the day's sample count.
  const drives = segment.samples.some((p) => p.rpm !== 0) ? splitDrives(segment.samples) : [];
  const day = drives.length === 0 ? { ...days[index] } : copyDayLists(days[index]);
  days[index] = day;
  day.n += segment.samples.length;
  if (drives.length === 0) return { ...summary, days };
  const state: FoldState = { judged: summary.judged, run: summary.run === null ? null : copyRun(summary.run), stuck: summary.stuck };
  for (const drive of drives) {
    const facts = analyseDrive(drive);
    const runId = feedDetector(state, drive, facts, dayNumber);
    addDrive(state, day, facts, runId);
  }
  return { days, judged: state.judged, run: state.run, stuck: state.stuck };
}

function trimRun(run: FlatRunRecord, fromDay: number): FlatRunRecord | null {
  if (run.days.every((d) => d.day >= fromDay)) return run;
  const days = run.days.filter((d) => d.day >= fromDay);
  return days.length === 0 ? null : { ...run, days };
}

/** Drops the days before `horizonMs` (whole segments), and the parts of runs folded from them. */
export function pruneCoolantSummary(summary: EngineCoolingSummary, horizonMs: number): EngineCoolingSummary {
  const fromDay = utcDay(horizonMs);
  const days = summary.days.filter((d) => d.day >= fromDay);
  const fromS = (fromDay * DAY_MS) / 1000;
  const judged = summary.judged[0] !== undefined && summary.judged[0][0] < fromS ? summary.judged.filter((j) => j[0] >= fromS) : summary.judged;
  const run = summary.run === null ? null : trimRun(summary.run, fromDay);
  // A run shortened by the horizon may no longer be long enough: the full path, which never saw its
  // older part, would not have found it.
  const stuck = summary.stuck.flatMap((r) => {
    const trimmed = trimRun(r, fromDay);
    return trimmed !== null && isStuckRun(trimmed, fromDay) ? [trimmed] : [];
  });
  return { days, judged, run, stuck };
}

export interface DailyWarmMedian {
  day: number;
  medianC: number;
  readings: number;
}

/** The summary as `decide` reads it: since the last reset, without what stuck runs hold. */
export interface CoolantView {
  daily: DailyWarmMedian[];
  stuckRuns: { startT: number; endT: number; value: number }[];
  /** Every episode at or above 110 C (also the short ones: they veto a baseline). */
  episodes: OverheatEpisode[];
  dangerDays: DangerDay[];
  judged: ThermostatDrive[];
  /** Drives with enough warm readings, oldest first. */
  warmDrives: WarmDrive[];
  /** Judged drives, those over the per-day cap included. */
  judgedCount: number;
  warmupMinutes: number[];
  used: number;
  drives: number;
}

/** Drops up to `count` drives whose warm median is exactly a stuck run's value, latest first. */
function dropStuckDrives(drives: { medianTenths: number }[], valueTenths: number, count: number): void {
  let left = count;
  for (let i = drives.length - 1; i >= 0 && left > 0; i--) {
    if (drives[i].medianTenths === valueTenths) {
      drives.splice(i, 1);
      left--;
    }
  }
}

/** The value at 0-based rank `rank` of a histogram. */
function valueAtRank(lo: number, counts: readonly number[], rank: number): number {
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i];
    if (seen > rank) return (lo + i) / 10;
  }
  return (lo + counts.length - 1) / 10;
}

/** The median as `median()` computes it on the readings themselves (same interpolation, same float). */
export function histogramMedian(lo: number, counts: readonly number[], total: number): number {
  if (total === 1) return valueAtRank(lo, counts, 0);
  if (total === 2) return (valueAtRank(lo, counts, 0) + valueAtRank(lo, counts, 1)) / 2;
  const pos = (total - 1) * 0.5;
  const a = valueAtRank(lo, counts, Math.floor(pos));
  const b = valueAtRank(lo, counts, Math.ceil(pos));
  return a + (b - a) * (pos - Math.floor(pos));
}

/**
 * Reads the summary from `resetMs` on (the last COOLANT_SERVICE / THERMOSTAT_REPLACEMENT, or -Infinity).
 * Per-drive records (warm-ups, episodes) are cut exactly at the reset; per-day sums count from the
 * first midnight at or after it (a mid-day reset leaves its day out whole: the day's readings before
 * and after the work cannot be told apart).
 */
export function coolantView(summary: EngineCoolingSummary, resetMs: number, minReadingsPerDay: number): CoolantView {
  const fromDay = Number.isFinite(resetMs) ? Math.ceil(resetMs / DAY_MS) : -Infinity;
  const runs = [...summary.stuck, ...(summary.run === null ? [] : [summary.run])].filter((r) => isStuckRun(r, fromDay));
  const stuckIds = new Set(runs.map((r) => r.id));
  const stuckRuns = runs.flatMap((r) => {
    const extent = runExtent(r, fromDay);
    return extent === null ? [] : [{ startT: extent.startT, endT: extent.endT, value: r.v }];
  });

  const view: CoolantView = {
    daily: [],
    stuckRuns,
    episodes: [],
    dangerDays: [],
    judged: [],
    warmDrives: [],
    judgedCount: 0,
    warmupMinutes: [],
    used: 0,
    drives: 0,
  };
  for (const [s, peak, at6, ambient, runId = 0] of summary.judged) {
    if (s * 1000 < resetMs || stuckIds.has(runId)) continue;
    view.judged.push({
      startMs: s * 1000,
      peakAfterCheckC: peak / 10,
      at6MinC: at6 === null ? null : at6 / 10,
      ambientC: ambient === null ? null : ambient / 10,
      judged: true,
    });
  }
  for (const day of summary.days) {
    const dayStart = day.day * DAY_MS;
    const keep = (s: number, runId: number): boolean => dayStart + s * 1000 >= resetMs && !stuckIds.has(runId);
    for (const [s, durationS, peak, criticalS, runId] of day.o ?? []) {
      if (keep(s, runId)) view.episodes.push({ startMs: dayStart + s * 1000, durationS, peakC: peak / 10, criticalS });
    }
    const danger = (day.x ?? []).filter(([s, , runId]) => keep(s, runId));
    const dangerPeak = danger.length === 0 ? null : Math.max(...danger.map((e) => e[1])) / 10;
    if (day.day < fromDay) {
      if (danger.length > 0) view.dangerDays.push({ day: day.day, episodes: danger.length, peakC: dangerPeak, drivingHours: 0 });
      continue;
    }
    view.used += day.n;
    if (day.wu) for (const s of day.wu) view.warmupMinutes.push(s / 60);
    let drives = day.d;
    let runningS = day.rs;
    let judged = day.jn ?? 0;
    const warmDrives = decodeWarmDrives(day.wd ?? '');
    const counts = decodeCounts(day.h);
    let total = 0;
    for (const c of counts) total += c;
    for (const run of runs) {
      const entry = run.days.find((d) => d.day === day.day);
      if (entry === undefined) continue;
      drives -= entry.d;
      runningS -= entry.rs;
      judged -= entry.j;
      dropStuckDrives(warmDrives, tenths(run.v), entry.d);
      if (entry.w > 0) {
        counts[tenths(run.v) - day.lo] -= entry.w;
        total -= entry.w;
      }
    }
    for (const w of warmDrives) view.warmDrives.push({ day: day.day, medianC: w.medianTenths / 10, readings: w.readings });
    view.drives += drives;
    view.judgedCount += judged;
    view.dangerDays.push({ day: day.day, episodes: danger.length, peakC: dangerPeak, drivingHours: runningS / 3600 });
    if (total >= minReadingsPerDay) view.daily.push({ day: day.day, medianC: histogramMedian(day.lo, counts, total), readings: total });
  }
  return view;
}
