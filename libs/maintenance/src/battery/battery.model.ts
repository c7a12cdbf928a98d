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
import { DAY_MS, isoDay, lastReset, utcDay } from '../common/telemetry-sessions.js';
import { round, roundOrNull } from '../common/rounding.js';
import { assessInFull, type DecisionContext, type IncrementalModel, type TelemetrySegment } from '../incremental/index.js';
import { addVoltage, mergeVoltages, removeVoltage, voltageCount, voltageMedian } from './voltage-histogram.js';

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

/** One UTC day of battery readings (of the segments that started on it). */
export interface BatteryDaySummary {
  day: number;
  /** Start (ms) of the day's first segment: a battery replaced after it drops the whole day. */
  firstMs: number;
  /** Clean samples (the evidence's samples.used). */
  samples: number;
  /** Resting readings: flat centivolt histogram (voltage-histogram.ts). */
  resting: number[];
  /** Charging readings: flat centivolt histogram, emptied once reduced to chargingDone. */
  charging: number[];
  /**
   * The day's charging readings reduced to what the decision reads (their count and median), once the
   * day is over and no open run of identical readings can still take some back. Null while open.
   */
  chargingDone: { count: number; median: number } | null;
  /** Captured cranking dips (V), one per drive, at most MAX_DIPS_PER_DAY. */
  crankDips: number[];
}

/** What the current run contributed to one day: taken back from the day if the run proves stuck. */
export interface BatteryRunDay {
  day: number;
  samples: number;
  resting: number;
  charging: number;
  dips: number;
}

/**
 * The current run of identical voltage readings (findFlatRuns with tolerance 0, carried across
 * segments). Readings go to their days at once; the run counts what its readings (inRun) and the
 * voltage-less samples after its last reading (after) contributed, so that a run that proves a stuck
 * sensor takes exactly those back (all its readings have the run's value).
 */
export interface BatteryRun {
  value: number;
  startT: number;
  lastT: number;
  count: number;
  sawOff: boolean;
  sawOn: boolean;
  inRun: BatteryRunDay[];
  after: BatteryRunDay[];
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

function isStuckRun(run: BatteryRun): boolean {
  const s = BATTERY_SETTINGS;
  if (run.count < 360 || run.lastT - run.startT < s.stuckSensorMs) return false;
  // A regulator can hold 14.2 V to the last digit for a long drive, so a flat run alone proves nothing;
  // the same value with the engine off and running (resting and charging cannot match), or for a whole
  // day, does.
  return run.lastT - run.startT >= DAY_MS || (run.sawOff && run.sawOn);
}

function runDay(list: BatteryRunDay[], day: number): BatteryRunDay {
  const last = list[list.length - 1] as BatteryRunDay | undefined;
  if (last?.day === day) return last;
  const entry = { day, samples: 0, resting: 0, charging: 0, dips: 0 };
  list.push(entry);
  return entry;
}

/**
 * The fold's working copy: it never writes into the summary it was given (the driver may keep it). It
 * copies the days array and the current day's record (its arrays on first write), and older records
 * only in the rare cases that touch them (a stuck run taking readings back, closing a day's charging),
 * so a fold costs O(segment).
 */
class BatteryFold {
  readonly days: BatteryDaySummary[];
  run: BatteryRun | null;
  stuck: BatterySummary['stuck'];
  readonly record: BatteryDaySummary;
  private readonly ownedArrays: number[][] = [];
  private runOwned = false;

  constructor(
    summary: BatterySummary,
    readonly day: number,
    segmentStartMs: number,
  ) {
    this.days = summary.days.slice();
    this.run = summary.run;
    this.stuck = summary.stuck;
    const last = this.days.length - 1;
    if (last >= 0 && this.days[last].day === day) {
      this.record = { ...this.days[last] };
      this.days[last] = this.record;
    } else {
      // A new day: the days before it are over; reduce their charging readings (see chargingDone).
      for (let i = last; i >= 0 && this.days[i].chargingDone === null; i--) this.closeCharging(i);
      this.record = { day, firstMs: segmentStartMs, samples: 0, resting: [], charging: [], chargingDone: null, crankDips: [] };
      this.ownedArrays.push(this.record.resting, this.record.charging, this.record.crankDips);
      this.days.push(this.record);
    }
  }

  result(lastRunningMs: number | null, lastRunningDay: number | null): BatterySummary {
    return { days: this.days, lastRunningMs, lastRunningDay, run: this.run, stuck: this.stuck };
  }

  /** A sample of the segment: `v` its voltage, if any. Extends the current run of identical readings or closes it. */
  sample(t: number, v: number | undefined, rpm: number | undefined): void {
    this.record.samples++;
    if (v === undefined) {
      if (this.run !== null) runDay(this.ownRun().after, this.day).samples++;
      return;
    }
    if (this.run !== null && this.run.value === v) {
      const run = this.ownRun();
      run.count++;
      run.lastT = t;
      if (rpm === 0) run.sawOff = true;
      if (rpm !== undefined && rpm > 0) run.sawOn = true;
      // The samples between its readings lie inside the run.
      for (const entry of run.after) runDay(run.inRun, entry.day).samples += entry.samples;
      run.after = [];
    } else {
      this.closeRun();
      this.run = { value: v, startT: t, lastT: t, count: 1, sawOff: rpm === 0, sawOn: rpm !== undefined && rpm > 0, inRun: [], after: [] };
      this.runOwned = true;
    }
    runDay(this.ownRun().inRun, this.day).samples++;
  }

  /** A resting reading of the sample just passed to `sample` (so it belongs to the current run). */
  resting(v: number): void {
    addVoltage(this.writable('resting'), v);
    runDay(this.ownRun().inRun, this.day).resting++;
  }

  charging(v: number): void {
    addVoltage(this.writable('charging'), v);
    runDay(this.ownRun().inRun, this.day).charging++;
  }

  /** A drive's captured dip, read at `t`: dropped if a stuck run already took that reading. */
  dip(v: number, t: number): void {
    if (this.stuck.some((r) => t >= r.startT && t <= r.endT)) return;
    if (this.record.crankDips.length >= MAX_DIPS_PER_DAY) return;
    this.writable('crankDips').push(v);
    const run = this.run;
    if (run !== null && run.value === v && t >= run.startT) runDay(this.ownRun().inRun, this.day).dips++;
  }

  private writable(key: 'resting' | 'charging' | 'crankDips'): number[] {
    const array = this.record[key];
    if (this.ownedArrays.includes(array)) return array;
    const copy = array.slice();
    this.ownedArrays.push(copy);
    this.record[key] = copy;
    return copy;
  }

  private closeRun(): void {
    const run = this.run;
    if (run === null) return;
    this.run = null;
    this.runOwned = false;
    if (!isStuckRun(run)) return;
    if (this.stuck.length < MAX_STUCK_RUNS) this.stuck = [...this.stuck, { startT: run.startT, endT: run.lastT, value: run.value }];
    for (const entry of run.inRun) this.takeBack(entry, run.value);
  }

  /** Removes a stuck run's readings from their day (all of them have the run's value). */
  private takeBack(entry: BatteryRunDay, value: number): void {
    const index = this.days.findIndex((d) => d.day === entry.day);
    if (index < 0) return; // pruned since
    const record = entry.day === this.day ? this.record : { ...this.days[index] };
    this.days[index] = record;
    record.samples -= entry.samples;
    record.resting = removeVoltage(record.resting, value, entry.resting);
    if (record.chargingDone === null) record.charging = removeVoltage(record.charging, value, entry.charging);
    const dips = record.crankDips.slice();
    for (let n = entry.dips; n > 0; n--) {
      const at = dips.indexOf(value);
      if (at >= 0) dips.splice(at, 1);
    }
    record.crankDips = dips;
    // New arrays: owned by this fold, but `record` may be the day's record this fold writes to.
    this.ownedArrays.push(record.resting, record.charging, record.crankDips);
  }

  private closeCharging(index: number): void {
    const record = this.days[index];
    // Readings a run still open could take back: the day stays open until that run is settled.
    if (this.run?.inRun.some((entry) => entry.day === record.day && entry.charging > 0) === true) return;
    const count = voltageCount(record.charging);
    this.days[index] = { ...record, charging: [], chargingDone: { count, median: count === 0 ? 0 : voltageMedian(record.charging) } };
  }

  private ownRun(): BatteryRun {
    const run = this.run;
    if (run === null) throw new Error('no current voltage run');
    if (this.runOwned) return run;
    const copy: BatteryRun = { ...run, inRun: run.inRun.map((e) => ({ ...e })), after: run.after.map((e) => ({ ...e })) };
    this.runOwned = true;
    this.run = copy;
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
    const day = utcDay(segment.startMs);
    const work = new BatteryFold(summary, day, segment.startMs);
    // Resting needs 30 min since the engine last ran, which may have been in an earlier segment. Only a
    // segment of the same UTC day counts: the full path never sees segments before its first day, so
    // both paths agree; the cost is that a reading in the first half hour of a day, after a drive that
    // started the day before, counts as resting.
    let lastRunning = summary.lastRunningDay === day && summary.lastRunningMs !== null ? summary.lastRunningMs : -Infinity;
    // Drives as splitDrives cuts them (a segment never cuts inside one): a drive starts at a running
    // sample after an engine-off one (or the segment's start); its pre-start is the engine-off readings
    // just before it; the cranking dip is the lowest reading around the start.
    let driveStart: number | null = null;
    let dip = Infinity;
    let dipT = 0;
    const recentOff: { t: number; v: number }[] = [];
    const endDrive = (): void => {
      if (driveStart !== null && dip < s.capturedDipBelowV) work.dip(dip, dipT);
      driveStart = null;
    };
    for (const p of segment.samples) {
      const t = p.ts.getTime();
      const v = p.batteryV;
      work.sample(t, v, p.rpm);
      if (p.rpm === 0) {
        endDrive();
        if (v !== undefined) {
          recentOff.push({ t, v });
          if ((p.speedKph ?? 0) === 0 && t - lastRunning >= s.restAfterEngineOffMs) work.resting(v);
        }
        continue;
      }
      lastRunning = t;
      if (driveStart === null) {
        driveStart = t;
        dip = Infinity;
        for (const off of recentOff) {
          if (t - off.t <= s.crankWindowBeforeMs && off.v < dip) {
            dip = off.v;
            dipT = off.t;
          }
        }
        recentOff.length = 0;
      }
      if (v === undefined) continue;
      const since = t - driveStart;
      if (since <= s.crankWindowAfterMs && v < dip) {
        dip = v;
        dipT = t;
      }
      if (since >= s.chargingAfterStartMs && p.rpm !== undefined && p.rpm >= 500) work.charging(v);
    }
    endDrive();
    const ran = lastRunning !== -Infinity;
    return work.result(ran ? lastRunning : summary.lastRunningMs, ran ? day : summary.lastRunningDay);
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
 * The days the decision reads: those whose telemetry all came after the replacement, with the readings
 * of a run still open taken back if it already proves a stuck sensor (as the end of the series would
 * settle it), and only days with a battery reading.
 */
function usableDays(summary: BatterySummary, resetMs: number): { days: BatteryDay[]; stuck: BatterySummary['stuck']; samples: number } {
  const run = summary.run !== null && isStuckRun(summary.run) ? summary.run : null;
  const stuck = summary.stuck.filter((r) => r.endT >= resetMs);
  if (run !== null && run.lastT >= resetMs && stuck.length < MAX_STUCK_RUNS) stuck.push({ startT: run.startT, endT: run.lastT, value: run.value });
  const days: BatteryDay[] = [];
  let samples = 0;
  for (const record of summary.days) {
    if (record.firstMs < resetMs) continue;
    let { resting, charging, crankDips } = record;
    let daySamples = record.samples;
    const taken = run?.inRun.find((e) => e.day === record.day);
    if (run !== null && taken !== undefined) {
      daySamples -= taken.samples;
      resting = removeVoltage(resting, run.value, taken.resting);
      charging = removeVoltage(charging, run.value, taken.charging);
      crankDips = crankDips.slice();
      for (let n = taken.dips; n > 0; n--) {
        const at = crankDips.indexOf(run.value);
        if (at >= 0) crankDips.splice(at, 1);
      }
    }
    samples += daySamples;
    const chargingCount = record.chargingDone?.count ?? voltageCount(charging);
    const chargingMedian = chargingCount === 0 ? null : (record.chargingDone?.median ?? voltageMedian(charging));
    if (resting.length === 0 && crankDips.length === 0 && chargingCount === 0) continue;
    days.push({ day: record.day, resting, crankDips, chargingCount, chargingMedian });
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
