// 12 V battery and charging system, from the battery voltage the device reads.
//
// Three readings mean three different things, so they are separated before anything is averaged:
// - Resting voltage (engine off, parked for 30+ min so the surface charge has gone): state of charge.
//   Open-circuit 12.6 V+ is full, 12.4 ~75 %, 12.2 ~50 %. But most readings a device gets with the engine
//   off are taken at ignition-on, with the ECU and fuel pump drawing current, about 0.2-0.3 V below
//   open-circuit (a healthy Toyota in the shared OBD logs reads 12.32-12.38 V there), so the limits
//   are 0.2 V lower: WATCH < 12.2, SOON < 12.0, URGENT < 11.8. A falling trend means the battery no
//   longer holds charge (or a parasitic drain): Theil-Sen on daily medians forecasts 12.0 V.
// - Cranking dip (lowest voltage in the seconds around an engine start): the battery's strength under
//   load. Healthy ~10-11 V; below 9.6 V (the load-test limit) it may soon fail to start the car.
//   Devices sampling every 10 s often miss the dip: only readings below 11.5 V count as captured dips.
// - Charging voltage (engine running 2+ min): the alternator. 13.5-14.8 V normal; "smart" alternators
//   may sit at 12.8-13.3 V, so that band is only WATCH; below 12.8 V the battery is not being charged.
// The first days' resting and cranking levels are kept in the state as the battery's own baseline;
// BATTERY_REPLACEMENT discards it and everything recorded before the new battery.
//
// Incremental (issue 12): the model folds one telemetry segment at a time into per-day summaries (resting
// and charging readings as centivolt histograms, the day's captured cranking dips), carrying across
// segments when the engine last ran and the current run of identical readings (the stuck-sensor check).
import type { ComponentAssessment, Finding, ModelResult, Risk, VehicleHistory } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import { theilSen } from '../stats/robust-regression.js';
import { forecastCrossing, type CrossingForecast } from '../stats/change-detection.js';
import { capRisk, healthFor, maxRisk } from '../common/risk-scale.js';
import { DAY_MS, isoDay, lastReset, splitDrives, utcDay } from '../common/telemetry-sessions.js';
import { round, roundOrNull } from '../common/rounding.js';
import { assessInFull, type DecisionContext, type IncrementalModel, type TelemetrySegment } from '../incremental/index.js';
import { addVoltage, mergeVoltages, voltageCount, voltageMedian } from './voltage-histogram.js';

export interface BatteryBaseline {
  restingV: number | null;
  crankV: number | null;
  fromDay: string;
  daysUsed: number;
}

export interface BatteryState {
  baseline: BatteryBaseline | null;
  resetAt: string | null;
}

export const BATTERY_SETTINGS = {
  restAfterEngineOffMs: 30 * 60_000,
  chargingAfterStartMs: 120_000,
  crankWindowBeforeMs: 5_000,
  crankWindowAfterMs: 15_000,
  capturedDipBelowV: 11.5,
  resting: { watch: 12.2, soon: 12.0, urgent: 11.8 },
  crank: { soon: 9.6, urgent: 8.5, dropWatchV: 1.0 },
  charging: { low: 12.8, smartLow: 13.3, high: 15.0, highWatch: 14.8 },
  minChargingReadingsPerDay: 10,
  recentDays: 5,
  minDays: 3,
  baselineDays: 7,
  minTrendDays: 7,
  stuckSensorMs: 3 * 3_600_000,
  forecastHorizonDays: 365,
} as const;

/** Readings of one UTC day (of the segments that started on it) that may still be a stuck sensor's. */
export interface BatterySums {
  day: number;
  /** Clean samples (the evidence's samples.used). */
  samples: number;
  /** Resting readings: flat centivolt histogram (voltage-histogram.ts). */
  resting: number[];
  /** Charging readings: flat centivolt histogram. */
  charging: number[];
  /** Captured cranking dips (V), one per drive at most. */
  crankDips: number[];
}

/** One UTC day of battery readings (of the segments that started on it). */
export interface BatteryDaySummary extends BatterySums {
  /** Start (ms) of the day's first segment: a battery replaced after it drops the whole day. */
  firstMs: number;
  /**
   * The day's charging readings reduced to what the decision reads (their count and median), once the
   * day is over and no pending readings can still join it: the histogram is then emptied. Null while open.
   */
  chargingDone: { count: number; median: number } | null;
}

/**
 * The current run of identical voltage readings (findFlatRuns with tolerance 0, carried across
 * segments). Readings made while it lasts wait here: if it proves a stuck sensor they are dropped,
 * otherwise they go to their days.
 */
export interface BatteryRun {
  value: number;
  startT: number;
  lastT: number;
  count: number;
  sawOff: boolean;
  sawOn: boolean;
  inRun: BatterySums[];
  after: BatterySums[];
}

export interface BatterySummary {
  /** Ascending by day; at most SUMMARY_HORIZON_DAYS + 1 after a prune. */
  days: BatteryDaySummary[];
  /** When the engine last ran, and the UTC day of the segment that said so (see fold). */
  lastRunningMs: number | null;
  lastRunningDay: number | null;
  run: BatteryRun | null;
  /** Stuck-sensor runs found so far (at most MAX_STUCK_RUNS). */
  stuck: { startT: number; endT: number; value: number }[];
}

/** A stuck run lasts three hours or more: 8 a day at most. */
const MAX_STUCK_RUNS = 64;
/** Captured dips kept per day (one per drive): 48 drives a day is far beyond any real car. */
const MAX_DIPS_PER_DAY = 48;

interface BatteryDay {
  day: number;
  resting: number[];
  crankDips: number[];
  chargingCount: number;
  chargingMedian: number | null;
}

function emptySums(day: number): BatterySums {
  return { day, samples: 0, resting: [], charging: [], crankDips: [] };
}

function cloneSums<T extends BatterySums>(sums: T): T {
  return { ...sums, resting: sums.resting.slice(), charging: sums.charging.slice(), crankDips: sums.crankDips.slice() };
}

function addSums(into: BatterySums, from: BatterySums): void {
  into.samples += from.samples;
  mergeVoltages(into.resting, from.resting);
  mergeVoltages(into.charging, from.charging);
  for (const dip of from.crankDips) addDip(into, dip);
}

function addDip(into: BatterySums, dip: number): void {
  if (into.crankDips.length < MAX_DIPS_PER_DAY) into.crankDips.push(dip);
}

function isStuckRun(run: BatteryRun): boolean {
  const s = BATTERY_SETTINGS;
  if (run.count < 360 || run.lastT - run.startT < s.stuckSensorMs) return false;
  // A regulator can hold 14.2 V to the last digit for a long drive, so a flat run alone proves nothing;
  // the same value with the engine off and running (resting and charging cannot match), or for a whole
  // day, does.
  return run.lastT - run.startT >= DAY_MS || (run.sawOff && run.sawOn);
}

/**
 * The fold's working copy: it never writes into the summary it was given (the driver may keep it) and
 * copies only what it writes, so a fold costs O(segment).
 */
class BatteryFold {
  readonly days: BatteryDaySummary[];
  lastRunningMs: number | null;
  lastRunningDay: number | null;
  run: BatteryRun | null;
  stuck: BatterySummary['stuck'];
  private readonly owned = new Set<BatterySums>();
  private runOwned = false;

  constructor(summary: BatterySummary) {
    this.days = summary.days.slice();
    this.lastRunningMs = summary.lastRunningMs;
    this.lastRunningDay = summary.lastRunningDay;
    this.run = summary.run;
    this.stuck = summary.stuck;
  }

  result(): BatterySummary {
    return { days: this.days, lastRunningMs: this.lastRunningMs, lastRunningDay: this.lastRunningDay, run: this.run, stuck: this.stuck };
  }

  /** The writable record of `day`; a new day closes the charging of the days before it. */
  day(day: number, segmentStartMs: number): BatteryDaySummary {
    const last = this.days.length - 1;
    if (last >= 0 && this.days[last].day === day) return this.own(this.days, last);
    for (let i = last; i >= 0 && this.days[i].chargingDone === null; i--) this.closeCharging(i);
    const record: BatteryDaySummary = { ...emptySums(day), firstMs: segmentStartMs, chargingDone: null };
    this.owned.add(record);
    this.days.push(record);
    return record;
  }

  /** Where a reading of `day` goes: its day, or the current run's pending sums. */
  target(day: number, record: BatteryDaySummary, inSeries: boolean): BatterySums {
    if (this.run === null) return record;
    const run = this.ownRun();
    const list = inSeries ? run.inRun : run.after;
    const last = list.length - 1;
    if (last >= 0 && list[last].day === day) return this.own(list, last);
    const sums = emptySums(day);
    this.owned.add(sums);
    list.push(sums);
    return sums;
  }

  /** A voltage reading: extends the current run of identical readings or closes it. */
  reading(t: number, value: number, rpm: number | undefined): void {
    if (this.run !== null && this.run.value === value) {
      const run = this.ownRun();
      run.count++;
      run.lastT = t;
      if (rpm === 0) run.sawOff = true;
      if (rpm !== undefined && rpm > 0) run.sawOn = true;
      // What came between its readings lies inside the run.
      for (const sums of run.after) this.addTo(run.inRun, sums);
      run.after = [];
      return;
    }
    this.closeRun();
    this.run = { value, startT: t, lastT: t, count: 1, sawOff: rpm === 0, sawOn: rpm !== undefined && rpm > 0, inRun: [], after: [] };
    this.runOwned = true;
  }

  private closeRun(): void {
    const run = this.run;
    if (run === null) return;
    if (isStuckRun(run)) {
      if (this.stuck.length < MAX_STUCK_RUNS) this.stuck = [...this.stuck, { startT: run.startT, endT: run.lastT, value: run.value }];
    } else {
      for (const sums of run.inRun) this.flush(sums);
    }
    for (const sums of run.after) this.flush(sums);
    this.run = null;
    this.runOwned = false;
  }

  private closeCharging(index: number): void {
    const record = this.days[index];
    const run = this.run;
    // Readings still pending for that day may join it: it stays open until they are settled.
    if (run !== null && [...run.inRun, ...run.after].some((p) => p.day === record.day)) return;
    const count = voltageCount(record.charging);
    const done = { count, median: count === 0 ? 0 : voltageMedian(record.charging) };
    const owned = this.own(this.days, index);
    owned.chargingDone = done;
    owned.charging = [];
  }

  private flush(sums: BatterySums): void {
    // Pending readings belong to a day already in the list (its segment created it), unless pruned since.
    for (let i = this.days.length - 1; i >= 0; i--) {
      const record = this.days[i];
      if (record.day === sums.day) {
        // Never a day whose charging is closed: pending readings of a day only come from its own
        // segments, and closeCharging waits until they are settled.
        addSums(this.own(this.days, i), sums);
        return;
      }
      if (record.day < sums.day) return;
    }
  }

  private addTo(list: BatterySums[], sums: BatterySums): void {
    const last = list.length - 1;
    if (last >= 0 && list[last].day === sums.day) addSums(this.own(list, last), sums);
    else list.push(sums);
  }

  private ownRun(): BatteryRun {
    const run = this.run;
    if (run === null) throw new Error('no current voltage run');
    if (this.runOwned) return run;
    const copy: BatteryRun = { ...run, inRun: run.inRun.slice(), after: run.after.slice() };
    this.runOwned = true;
    this.run = copy;
    return copy;
  }

  private own<T extends BatterySums>(list: T[], index: number): T {
    const record = list[index];
    if (this.owned.has(record)) return record;
    const copy = cloneSums(record);
    this.owned.add(copy);
    list[index] = copy;
    return copy;
  }
}

export class BatteryModel implements IncrementalModel<BatterySummary, BatteryState> {
  readonly component = 'BATTERY' as const;
  readonly version = 'battery/1.0.0';
  readonly summaryVersion = 'battery-summary/1';

  assess(history: VehicleHistory, previousState: BatteryState | undefined, now: Date): ModelResult<BatteryState> {
    return assessInFull(this, history, previousState, now);
  }

  emptySummary(): BatterySummary {
    return { days: [], lastRunningMs: null, lastRunningDay: null, run: null, stuck: [] };
  }

  fold(summary: BatterySummary, segment: TelemetrySegment): BatterySummary {
    const s = BATTERY_SETTINGS;
    const work = new BatteryFold(summary);
    const day = utcDay(segment.startMs);
    const record = work.day(day, segment.startMs);
    // Resting needs 30 min since the engine last ran, which may have been in an earlier segment. Only a
    // segment of the same UTC day counts: the full path never sees segments before its first day, so
    // both paths then agree; the cost is that a reading in the first half hour of a day after a drive
    // that started the day before counts as resting.
    let lastRunning = work.lastRunningDay === day && work.lastRunningMs !== null ? work.lastRunningMs : -Infinity;
    for (const p of segment.samples) {
      const t = p.ts.getTime();
      const v = p.batteryV;
      if (v !== undefined) work.reading(t, v, p.rpm);
      work.target(day, record, v !== undefined).samples++;
      if (p.rpm === undefined || p.rpm > 0) {
        lastRunning = t;
        continue;
      }
      if (v !== undefined && (p.speedKph ?? 0) === 0 && t - lastRunning >= s.restAfterEngineOffMs)
        addVoltage(work.target(day, record, true).resting, v);
    }
    if (lastRunning !== -Infinity) {
      work.lastRunningMs = lastRunning;
      work.lastRunningDay = day;
    }
    // A segment is one drive (with its ignition-on and engine-off readings) or one parked reading.
    // Readings are attributed to the run state at the end of the segment's fold: a cranking dip or
    // charging reading that a run of identical readings covers is dropped with the run (approximation:
    // findFlatRuns dropped exactly the readings inside the run's time span).
    for (const drive of splitDrives(segment.samples)) {
      let dip = Infinity;
      for (const p of drive.preStart)
        if (p.batteryV !== undefined && drive.startMs - p.ts.getTime() <= s.crankWindowBeforeMs) dip = Math.min(dip, p.batteryV);
      for (const p of drive.samples) {
        const since = p.ts.getTime() - drive.startMs;
        if (p.batteryV === undefined) continue;
        if (since <= s.crankWindowAfterMs) dip = Math.min(dip, p.batteryV);
        if (since >= s.chargingAfterStartMs && p.rpm !== undefined && p.rpm >= 500) addVoltage(work.target(day, record, true).charging, p.batteryV);
      }
      if (dip < s.capturedDipBelowV) addDip(work.target(day, record, true), dip);
    }
    return work.result();
  }

  prune(summary: BatterySummary, horizonMs: number): BatterySummary {
    const first = utcDay(horizonMs);
    if ((summary.days[0]?.day ?? first) >= first && summary.stuck.every((r) => r.startT >= horizonMs)) return summary;
    const run =
      summary.run === null
        ? null
        : { ...summary.run, inRun: summary.run.inRun.filter((x) => x.day >= first), after: summary.run.after.filter((x) => x.day >= first) };
    return { ...summary, days: summary.days.filter((d) => d.day >= first), run, stuck: summary.stuck.filter((r) => r.startT >= horizonMs) };
  }

  decide(summary: BatterySummary, context: DecisionContext, previousState: BatteryState | undefined, now: Date): ModelResult<BatteryState> {
    const s = BATTERY_SETTINGS;
    const reset = lastReset(context.serviceEvents, ['BATTERY_REPLACEMENT'], now);
    const resetAt = reset?.performedAt.toISOString() ?? null;
    // A replacement drops the days that had telemetry before it (whole days: the summary is per day).
    const resetMs = reset?.performedAt.getTime() ?? -Infinity;
    const { days, stuck, samples } = usableDays(summary, resetMs);

    const restingDays = days.filter((d) => d.resting.length > 0);
    const crankDays = days.filter((d) => d.crankDips.length > 0);
    const chargingDays = days.filter((d) => d.chargingCount >= s.minChargingReadingsPerDay);
    const recentResting = lastMedian(
      restingDays.map((d) => voltageMedian(d.resting)),
      s.recentDays,
    );
    const recentCrank = lastMedian(
      crankDays.map((d) => Math.min(...d.crankDips)),
      s.recentDays,
    );
    const recentCharging = lastMedian(
      chargingDays.map((d) => d.chargingMedian ?? 0),
      3,
    );

    let baseline = previousState?.baseline ?? null;
    if (baseline !== null && (previousState?.resetAt ?? null) !== resetAt) baseline = null;
    baseline ??= learnBaseline(days);

    let forecast: CrossingForecast | null = null;
    if (restingDays.length >= s.minTrendDays) {
      const nowDay = now.getTime() / DAY_MS;
      const fit = theilSen(restingDays.map((d) => ({ x: d.day + 0.5 - nowDay, y: voltageMedian(d.resting) })));
      forecast = forecastCrossing(fit, s.resting.soon, 0, 'down');
      if (forecast !== null && forecast.eta > s.forecastHorizonDays) forecast = null;
    }

    const findings: Finding[] = [];
    const insufficient = days.length < s.minDays || (restingDays.length < s.minDays && chargingDays.length < s.minDays);
    const resting = restingFinding(recentResting, forecast);
    if (resting) findings.push(resting);
    const crank = crankFinding(recentCrank, baseline?.crankV ?? null);
    if (crank) findings.push(crank);
    const charging = chargingFinding(recentCharging);
    if (charging) findings.push(charging);
    if (stuck.length > 0) findings.push(stuckFinding(stuck));
    // Too little history: a few readings may be a car that sat a week or a cold morning; say WATCH at most.
    if (insufficient) for (const f of findings) f.risk = capRisk(f.risk, 'WATCH');
    const risk = maxRisk(...findings.map((f) => f.risk));

    const dueAt = !insufficient && forecast !== null && risk !== 'OK' ? new Date(now.getTime() + forecast.eta * DAY_MS) : undefined;
    const confidence: ComponentAssessment['confidence'] = insufficient
      ? {
          kind: 'insufficient-data',
          reason: `Battery readings on ${days.length} day(s) (resting on ${restingDays.length}, charging on ${chargingDays.length}); needs ${s.minDays}.`,
        }
      : dueAt && forecast
        ? { kind: 'interval', unit: 'days', level: forecast.level, low: round(forecast.low, 1), high: round(Math.min(forecast.high, 3650), 1) }
        : { kind: 'probability', value: round(Math.min(0.9, 0.5 + days.length / 60), 2) };
    const modelHealth = recentResting === null ? 100 : 100 * Math.min(1, Math.max(0, (recentResting - 11.6) / (12.4 - 11.6)));

    const assessment: ComponentAssessment = {
      component: this.component,
      modelVersion: this.version,
      health: healthFor(risk, modelHealth),
      risk,
      ...(dueAt ? { dueAt } : {}),
      confidence,
      evidence: {
        restingV: roundOrNull(recentResting),
        crankDipV: roundOrNull(recentCrank),
        chargingV: roundOrNull(recentCharging),
        baseline: baseline === null ? null : { ...baseline, restingV: roundOrNull(baseline.restingV), crankV: roundOrNull(baseline.crankV) },
        forecastDaysToRestingSoon:
          forecast === null ? null : { eta: round(forecast.eta, 1), low: round(forecast.low, 1), high: round(Math.min(forecast.high, 3650), 1) },
        daily: days.map((d) => ({
          day: isoDay(d.day),
          restingV: d.resting.length === 0 ? null : round(voltageMedian(d.resting)),
          crankDipV: d.crankDips.length === 0 ? null : round(Math.min(...d.crankDips)),
          chargingV: roundOrNull(d.chargingMedian),
        })),
        stuckSensorHours: round(
          stuck.reduce((h, r) => h + (r.endT - r.startT) / 3_600_000, 0),
          1,
        ),
        // The driver cleans the telemetry before folding: a summary of clean segments has no duplicates,
        // out-of-order or invalid points to count.
        samples: { used: samples, duplicates: 0, outOfOrder: 0, invalid: 0 },
        resetAt,
      },
      explanation: explain(risk, findings, recentResting, recentCharging),
      findings,
    };
    return { assessment, state: { baseline, resetAt } };
  }
}

/**
 * The days the decision reads: those whose telemetry all came after the replacement, with the current
 * run's pending readings settled as the end of the series would settle them (a run that already proves
 * a stuck sensor drops its readings), and only days with a battery reading.
 */
function usableDays(summary: BatterySummary, resetMs: number): { days: BatteryDay[]; stuck: BatterySummary['stuck']; samples: number } {
  const run = summary.run;
  const runStuck = run !== null && isStuckRun(run);
  const pending = run === null ? [] : runStuck ? run.after : [...run.inRun, ...run.after];
  const stuck = summary.stuck.filter((r) => r.endT >= resetMs);
  if (runStuck && run.lastT >= resetMs && stuck.length < MAX_STUCK_RUNS) stuck.push({ startT: run.startT, endT: run.lastT, value: run.value });
  const days: BatteryDay[] = [];
  let samples = 0;
  for (const record of summary.days) {
    if (record.firstMs < resetMs) continue;
    let sums: BatterySums = record;
    for (const p of pending) {
      if (p.day !== record.day) continue;
      if (sums === record) sums = cloneSums(record);
      addSums(sums, p);
    }
    samples += sums.samples;
    const chargingCount = record.chargingDone?.count ?? voltageCount(sums.charging);
    const chargingMedian = chargingCount === 0 ? null : (record.chargingDone?.median ?? voltageMedian(sums.charging));
    if (sums.resting.length === 0 && sums.crankDips.length === 0 && chargingCount === 0) continue;
    days.push({ day: record.day, resting: sums.resting, crankDips: sums.crankDips, chargingCount, chargingMedian });
  }
  return { days, stuck, samples };
}

function learnBaseline(days: readonly BatteryDay[]): BatteryBaseline | null {
  const first = days.slice(0, BATTERY_SETTINGS.baselineDays);
  if (first.length < BATTERY_SETTINGS.minDays) return null;
  const resting: number[] = [];
  for (const d of first) mergeVoltages(resting, d.resting);
  const cranks = first.flatMap((d) => d.crankDips);
  return {
    restingV: resting.length === 0 ? null : voltageMedian(resting),
    crankV: cranks.length === 0 ? null : median(cranks),
    fromDay: isoDay(first[0].day),
    daysUsed: first.length,
  };
}

function lastMedian(values: readonly number[], n: number): number | null {
  return values.length === 0 ? null : median(values.slice(-n));
}

function restingFinding(restingV: number | null, forecast: CrossingForecast | null): Finding | null {
  if (restingV === null) return null;
  const t = BATTERY_SETTINGS.resting;
  const eta = forecast?.eta ?? Infinity;
  const risk: Risk = restingV < t.urgent ? 'URGENT' : restingV < t.soon || eta <= 14 ? 'SOON' : restingV < t.watch || eta <= 60 ? 'WATCH' : 'OK';
  if (risk === 'OK') return null;
  const when = forecast === null || restingV < t.soon ? '' : ` At this rate it drops below ${t.soon} V in about ${Math.round(eta)} days.`;
  return {
    code: 'BATTERY_LOW_CHARGE',
    subject: 'battery',
    risk,
    message:
      `With the engine off your battery shows ${round(restingV)} V (a healthy, charged battery shows 12.3 V or more at ignition-on).${when} ` +
      'It may fail to start the car, especially in cold weather: have the battery tested.',
    params: { restingV: round(restingV), ...(forecast === null ? {} : { daysToLow: Math.round(eta) }) },
  };
}

function crankFinding(crankV: number | null, baselineV: number | null): Finding | null {
  if (crankV === null) return null;
  const t = BATTERY_SETTINGS.crank;
  const drop = baselineV === null ? 0 : baselineV - crankV;
  const risk: Risk = crankV < t.urgent ? 'URGENT' : crankV < t.soon ? 'SOON' : drop >= t.dropWatchV ? 'WATCH' : 'OK';
  if (risk === 'OK') return null;
  return {
    code: 'BATTERY_WEAK_CRANKING',
    subject: 'battery',
    risk,
    message:
      `While starting the engine the voltage falls to ${round(crankV, 1)} V${baselineV === null ? '' : ` (it used to fall to ${round(baselineV, 1)} V)`}. ` +
      'The battery is getting weak and may not start the car one day soon: have it tested or replaced.',
    params: { crankV: round(crankV), ...(baselineV === null ? {} : { baselineCrankV: round(baselineV) }) },
  };
}

function chargingFinding(chargingV: number | null): Finding | null {
  if (chargingV === null) return null;
  const t = BATTERY_SETTINGS.charging;
  if (chargingV >= t.smartLow && chargingV <= t.highWatch) return null;
  const low = chargingV < t.smartLow;
  const risk: Risk = chargingV < t.low || chargingV > t.high ? 'URGENT' : 'WATCH';
  const message = low
    ? `With the engine running the battery gets only ${round(chargingV, 1)} V (13.5-14.8 V is normal). ` +
      (risk === 'URGENT'
        ? 'The alternator is probably not charging: the battery will run flat. Have the charging system checked now.'
        : 'Some cars charge this low to save fuel, but it can also be an early alternator fault.')
    : `With the engine running the battery gets ${round(chargingV, 1)} V, more than the normal 14.8 V. Overcharging damages the battery and electronics: have the voltage regulator checked.`;
  return {
    code: low ? 'CHARGING_VOLTAGE_LOW' : 'CHARGING_VOLTAGE_HIGH',
    subject: 'alternator',
    risk,
    message,
    params: { chargingV: round(chargingV) },
  };
}

function stuckFinding(runs: readonly { value: number }[]): Finding {
  return {
    code: 'BATTERY_SENSOR_STUCK',
    subject: 'sensor',
    risk: 'WATCH',
    message: 'The battery voltage reading did not change for hours, so those readings were ignored: the device may not be measuring it.',
    params: { valueV: runs[0].value, runs: runs.length },
  };
}

function explain(risk: Risk, findings: readonly Finding[], restingV: number | null, chargingV: number | null): string {
  const worst = findings.find((f) => f.risk === risk && risk !== 'OK');
  if (worst) return worst.message;
  if (restingV === null && chargingV === null) return 'Not enough battery readings yet to judge the battery.';
  const parts = [
    restingV === null ? null : `${round(restingV)} V at rest`,
    chargingV === null ? null : `${round(chargingV, 1)} V while charging`,
  ].filter((p) => p !== null);
  return `Battery and charging look normal (${parts.join(', ')}).`;
}
