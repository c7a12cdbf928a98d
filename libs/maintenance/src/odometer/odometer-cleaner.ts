// One cleaner for every model that needs distance: odometer series from cheap OBD dongles roll back,
// jump, freeze and arrive out of order. Models must agree on what "km driven" means, so they share this.
import type { TelemetryPoint } from '../maintenance-model.js';

export interface OdometerPoint {
  ts: Date;
  km: number;
  /** Index of the continuous run this point belongs to (a new one starts after an accepted reset). */
  segment: number;
}

export interface OdometerCleaningOptions {
  /** Fastest believable average speed between two readings. */
  maxSpeedKph?: number;
  /** Slack on top of speed * time for rounding, clock jitter and short gaps. */
  marginKm?: number;
  /** Decreases up to this are rounding noise, not rollbacks (the point is kept at the previous value). */
  rollbackToleranceKm?: number;
  /** Consecutive, mutually consistent rejected readings that make us believe them (a spike or a real reset). */
  rebaseAfter?: number;
  /** Distance the speed says was driven while the odometer did not move, before the run counts as stuck. */
  stuckDistanceKm?: number;
  /**
   * Times at which staff confirmed an odometer change (cluster replaced): the first reading at or after
   * each starts a new segment at once, without waiting for `rebaseAfter` agreeing readings.
   */
  breaksAt?: readonly Date[];
}

export interface OdometerDropCounts {
  invalid: number;
  duplicate: number;
  rollback: number;
  jump: number;
  /** Earlier accepted readings removed because the readings after them showed they were a spike. */
  spike: number;
  stuck: number;
}

export interface OdometerCleaning {
  /** Ascending by ts; non-decreasing in km within a segment. */
  points: OdometerPoint[];
  segmentCount: number;
  dropped: OdometerDropCounts;
  /** Readings that arrived out of time order (re-sorted, not dropped). */
  outOfOrder: number;
}

const DEFAULTS: Required<OdometerCleaningOptions> = {
  maxSpeedKph: 250,
  marginKm: 5,
  rollbackToleranceKm: 0.5,
  rebaseAfter: 5,
  stuckDistanceKm: 2,
  breaksAt: [],
};

const SPEED_VALID_MS = 5 * 60_000;

interface Reading {
  t: number;
  km: number;
  speedKph: number | undefined;
}

type Rejection = 'rollback' | 'jump';

export function cleanOdometer(samples: readonly TelemetryPoint[], options: OdometerCleaningOptions = {}): OdometerCleaning {
  const opt = { ...DEFAULTS, ...options };
  const dropped: OdometerDropCounts = { invalid: 0, duplicate: 0, rollback: 0, jump: 0, spike: 0, stuck: 0 };
  const readings: Reading[] = [];
  for (const s of samples) {
    if (s.odometerKm === undefined) continue;
    const t = s.ts.getTime();
    if (!Number.isFinite(s.odometerKm) || s.odometerKm < 0 || !Number.isFinite(t)) {
      dropped.invalid++;
      continue;
    }
    readings.push({ t, km: s.odometerKm, speedKph: s.speedKph });
  }
  let outOfOrder = 0;
  for (let i = 1; i < readings.length; i++) if (readings[i].t < readings[i - 1].t) outOfOrder++;
  if (outOfOrder > 0) readings.sort((a, b) => a.t - b.t); // stable: equal ts keep arrival order

  const points: OdometerPoint[] = [];
  let segment = 0;
  let segmentStart = 0; // index in points where the current segment begins
  let lastChangeT = 0; // when the current value was first reached: stuck runs must not shrink the jump allowance
  let movingKmSinceChange = 0;
  let lastSeenT = 0; // previous reading taken at the current value, accepted or dropped as stuck
  let pending: { r: Reading; why: Rejection }[] = [];

  const allowance = (fromT: number, toT: number): number => (opt.maxSpeedKph * Math.max(0, toT - fromT)) / 3_600_000 + opt.marginKm;
  const classify = (last: OdometerPoint, changeT: number, r: Reading): Rejection | 'ok' => {
    const delta = r.km - last.km;
    if (delta < -opt.rollbackToleranceKm) return 'rollback';
    if (delta > allowance(changeT, r.t)) return 'jump';
    return 'ok';
  };
  const accept = (r: Reading): void => {
    const last = points[points.length - 1];
    if (last === undefined || points.length === segmentStart || r.km > last.km) {
      points.push({ ts: new Date(r.t), km: r.km, segment });
      lastChangeT = r.t;
      lastSeenT = r.t;
      movingKmSinceChange = 0;
      return;
    }
    // Not moved (or within rounding below): is the car moving while the odometer is frozen?
    // A speed reading describes only the moments around it: across a longer gap (parked overnight, then
    // the first sample of a drive) it says nothing about the distance.
    const dt = r.t - lastSeenT;
    if (dt <= SPEED_VALID_MS) movingKmSinceChange += ((r.speedKph ?? 0) * dt) / 3_600_000;
    lastSeenT = r.t;
    if (movingKmSinceChange > opt.stuckDistanceKm) {
      dropped.stuck++;
      return;
    }
    points.push({ ts: new Date(r.t), km: last.km, segment });
  };
  const dropPending = (): void => {
    for (const p of pending) dropped[p.why]++;
    pending = [];
  };
  const consistentWithPending = (r: Reading): boolean => {
    const tail = pending[pending.length - 1];
    const delta = r.km - tail.r.km;
    return delta >= -opt.rollbackToleranceKm && delta <= allowance(tail.r.t, r.t);
  };
  // Enough readings agree with each other and not with what we accepted: either the accepted tail was a
  // spike (drop it and carry on), or the odometer really was reset or replaced (start a new segment).
  const rebase = (): void => {
    const first = pending[0].r;
    let k = points.length - 1;
    while (k >= segmentStart && points[k].km > first.km + opt.rollbackToleranceKm) k--;
    const above = points.length - 1 - k;
    // The majority wins: a few high readings against a run of agreeing lower ones were the glitch.
    const anchor = k >= segmentStart ? points[k] : undefined;
    const spike = above > 0 && above < pending.length && (anchor === undefined || classify(anchor, anchor.ts.getTime(), first) === 'ok');
    if (spike) {
      dropped.spike += above;
      points.length = k + 1;
      if (anchor !== undefined) lastChangeT = lastSeenT = anchor.ts.getTime();
    } else {
      segment++;
      segmentStart = points.length;
    }
    const believed = pending.map((p) => p.r);
    pending = [];
    for (const r of believed) accept(r);
  };

  const breaks = opt.breaksAt.map((d) => d.getTime()).sort((a, b) => a - b);
  let nextBreak = 0;
  let prevT = Number.NaN;
  for (const r of readings) {
    if (r.t === prevT) {
      dropped.duplicate++;
      continue;
    }
    prevT = r.t;
    const last = points[points.length - 1];
    if (last === undefined) {
      accept(r);
      continue;
    }
    let confirmedBreak = false;
    while (nextBreak < breaks.length && breaks[nextBreak] <= r.t) {
      confirmedBreak ||= breaks[nextBreak] > last.ts.getTime();
      nextBreak++;
    }
    if (confirmedBreak) {
      dropPending();
      segment++;
      segmentStart = points.length;
      accept(r);
      continue;
    }
    const verdict = classify(last, lastChangeT, r);
    if (verdict === 'ok') {
      dropPending();
      accept(r);
      continue;
    }
    if (pending.length > 0 && !consistentWithPending(r)) dropPending();
    pending.push({ r, why: verdict });
    if (pending.length >= opt.rebaseAfter) rebase();
  }
  dropPending();
  return { points, segmentCount: segment + 1, dropped, outOfOrder };
}

/** Latest trustworthy odometer value, or undefined when there is none. */
export function latestOdometer(cleaning: OdometerCleaning): OdometerPoint | undefined {
  return cleaning.points[cleaning.points.length - 1];
}
