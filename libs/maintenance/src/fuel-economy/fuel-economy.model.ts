// Fuel economy: does this car burn more fuel than it used to for the same driving?
//
// Approach. Raw L/100 km mostly measures how the car is driven (city, idling, motorway), so:
// 1. Each 30-s fuel-rate point gets demand terms from speed and acceleration only (idling, braking to a
//    stop, v, v^2, v^3, a*v; see fuel-expectation.ts).
// 2. Baseline: a least-squares fit of fuel rate on those terms over the first ten driving days after a
//    reset (FUEL_SYSTEM_SERVICE, AIR_FILTER or no history), within three weeks of the first. It is learned
//    once the period is complete, persisted, and never relearned from a degraded period.
// 3. Each later day: ratio = sum(actual) / sum(expected). A day with more city driving or idling uses more
//    fuel but also *expects* more, so the ratio moves only when the car itself got worse. Idle and city
//    shares are tracked and reported separately.
// 4. Degradation % = pooled ratio of the last 7 driving days (within 21 calendar days) - 1, with a 90 %
//    interval from their spread; Theil-Sen on the daily ratios forecasts when the loss reaches 15 %.
//    SOON needs the interval's lower bound at 5 % or more: a slope alone never raises it.
// Fuel rate estimated from MAF is proportional to airflow, which is what degradation raises, so it is
// used too, but the evidence says so. Electric vehicles have nothing to assess.
//
// Incremental (issue 12): the model folds one telemetry segment at a time into per-day sums (see
// FuelSummary): per cell a sample count, and the moments of the regression (X'X, X'y), which are all the
// baseline fit, the day ratios and the shares need. `decide` learns the baseline and judges from them.
import type { ComponentAssessment, Finding, ModelResult, Risk, TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import { theilSen } from '../stats/robust-regression.js';
import { forecastCrossing, type CrossingForecast } from '../stats/change-detection.js';
import { healthFor, maxRisk } from '../common/risk-scale.js';
import { DAY_MS, isoDay, lastReset, utcDay } from '../common/telemetry-sessions.js';
import { round } from '../common/rounding.js';
import { assessInFull, type DecisionContext, type IncrementalModel, type TelemetrySegment } from '../incremental/index.js';
import { FUEL_CELLS, fuelCellIndex, isCity } from './fuel-cells.js';
import { addMoments, expectedFromMoments, FEATURE_COUNT, fitMoments, MOMENT_COUNT, writeFeatures } from './fuel-expectation.js';

export interface FuelBaseline {
  /** Least-squares coefficients of fuel rate on FUEL_FEATURES (see fuel-expectation.ts). */
  coefficients: number[];
  /** Driving cells the baseline saw often enough: a later day mostly outside them is not compared. */
  cells: string[];
  /** Pooled ratio of the baseline days themselves (~1): ratios are divided by it, so the baseline is 1.0. */
  calibration: number;
  idleShare: number;
  cityShare: number;
  daysUsed: number;
  fromDay: string;
  toDay: string;
}

export interface FuelEconomyState {
  baseline: FuelBaseline | null;
  resetAt: string | null;
}

export const FUEL_SETTINGS = {
  baselineDays: 10,
  minBaselineDays: 4,
  /** Calendar days from the first driving day the baseline is learned within (see learnBaseline). */
  baselineSpanDays: 21,
  /** 30-s points (five hours of driving) a baseline needs at least. */
  minBaselineSamples: 600,
  minSamplesPerDay: 30,
  /** Floor of the day-to-day spread of ratios used for the interval. */
  minDaySd: 0.02,
  minSamplesPerCell: 10,
  /**
   * A day counts only if at least this share of its samples fall in cells the baseline knows. The day's
   * ratio is taken over all its samples, so the rest is extrapolated from a fit that never saw such
   * driving: at 0.6 a city car's two days with a faster trip (62-69 % covered) read 1.22 and 1.34 and,
   * weighted by their larger expected fuel, made a healthy car's week an 18 % "loss" (seed 2's false SOON).
   */
  minCoverage: 0.8,
  recentDays: 7,
  minRecentDays: 4,
  /** Calendar days the recent level may reach back. */
  recentWindowDays: 21,
  lossTargetPct: 15,
  /** SOON needs the 90 % lower bound of the loss at least this high. */
  soonMinLowPct: 5,
  /** A tight forecast reaching the target within this many days raises SOON. */
  soonForecastDays: 30,
  patternShiftShare: 0.15,
  stuckSensorMs: 3_600_000,
  forecastHorizonDays: 365,
} as const;

const RESET_KINDS = ['FUEL_SYSTEM_SERVICE', 'AIR_FILTER'] as const;

/** The sums of some usable samples (engine running, cell and fuel rate known) of one UTC day. */
export interface FuelSums {
  day: number;
  /** Samples per cell, indexed like FUEL_CELLS (idle first). */
  cells: number[];
  /** Samples in city driving (isCity). */
  city: number;
  /** Upper triangle of X'X of the demand features (fuel-expectation.ts): xx[0] is the sample count. */
  xx: number[];
  /** X'y: xy[0] is the sum of the fuel rate. */
  xy: number[];
}

/** One UTC day (of the segments that started on it): its usable samples' sums plus counts over all samples. */
export interface FuelDaySums extends FuelSums {
  /** Start (ms) of the first segment folded into the day: a reset after it drops the whole day. */
  firstMs: number;
  /** Every clean sample of the day's segments (the evidence's samples.used). */
  samples: number;
  withFuel: number;
  estimated: number;
}

/**
 * The current run of identical fuel-rate readings while moving (the stuck-sensor detector of
 * findFlatRuns, carried across segments). The usable samples inside the run, and those after its last
 * reading, wait here: if the run turns out to be an hour or more, those inside it are dropped (they are
 * a stuck sensor's), otherwise both go to their days.
 */
export interface FuelRun {
  value: number;
  startT: number;
  lastT: number;
  count: number;
  inRun: FuelSums[];
  after: FuelSums[];
}

export interface FuelSummary {
  /** Ascending by day; at most SUMMARY_HORIZON_DAYS + 1 entries after a prune. */
  days: FuelDaySums[];
  run: FuelRun | null;
  /** Runs of a stuck sensor found so far (start and end ms), at most MAX_STUCK_RUNS. */
  stuck: { startT: number; endT: number }[];
}

/** A stuck run lasts an hour or more: 24 a day at most, far fewer in practice. */
const MAX_STUCK_RUNS = 64;

interface FuelDay {
  day: number;
  /** Usable samples (sums.xx[0]). */
  count: number;
  sums: FuelSums;
  idleShare: number;
  cityShare: number;
}

interface DayRatio {
  day: number;
  ratio: number;
  coverage: number;
  actual: number;
  expected: number;
}

function emptySums(day: number): FuelSums {
  return {
    day,
    cells: new Array<number>(FUEL_CELLS.length).fill(0),
    city: 0,
    xx: new Array<number>(MOMENT_COUNT).fill(0),
    xy: new Array<number>(FEATURE_COUNT).fill(0),
  };
}

function cloneSums<T extends FuelSums>(sums: T): T {
  return { ...sums, cells: sums.cells.slice(), xx: sums.xx.slice(), xy: sums.xy.slice() };
}

function addSums(into: FuelSums, from: FuelSums): void {
  for (let i = 0; i < into.cells.length; i++) into.cells[i] += from.cells[i];
  into.city += from.city;
  for (let i = 0; i < into.xx.length; i++) into.xx[i] += from.xx[i];
  for (let i = 0; i < into.xy.length; i++) into.xy[i] += from.xy[i];
}

/**
 * The fold's working copy: it never writes into the summary it was given (the driver may keep it), but
 * copies only what it touches (the days array, the day records and pending sums it writes), so a fold
 * costs O(segment), not O(summary).
 */
class FuelFold {
  readonly days: FuelDaySums[];
  run: FuelRun | null;
  stuck: { startT: number; endT: number }[];
  /** Records and arrays this fold copied or created: written in place; anything else is copied first. */
  // Arrays, not Sets: a fold owns a handful of objects, and a Set per fold costs more than it saves.
  private readonly owned: FuelSums[] = [];
  private readonly ownedArrays: number[][] = [];
  private runOwned = false;

  constructor(summary: FuelSummary) {
    this.days = summary.days.slice();
    this.run = summary.run;
    this.stuck = summary.stuck;
  }

  result(): FuelSummary {
    return { days: this.days, run: this.run, stuck: this.stuck };
  }

  /** The writable record of `day` (created at the end: segments come in ascending order). */
  day(day: number, segmentStartMs: number): FuelDaySums {
    const last = this.days.length - 1;
    if (last >= 0 && this.days[last].day === day) return this.own(this.days, last);
    if (last >= 0) this.settle(last);
    const record: FuelDaySums = { ...emptySums(day), firstMs: segmentStartMs, samples: 0, withFuel: 0, estimated: 0 };
    this.adopt(record);
    this.days.push(record);
    return record;
  }

  /**
   * The day before a new one is over: its moments are rounded to 7 significant digits once, which halves
   * their JSON (the regression needs nothing near 17 digits: the ridge alone moves it by 1e-4). Both
   * paths round at the same fold, so they agree; readings a stuck-run check still holds are added later.
   */
  private settle(index: number): void {
    const record = this.writable(this.own(this.days, index));
    for (let i = 0; i < record.xx.length; i++) record.xx[i] = Number(record.xx[i].toPrecision(7));
    for (let i = 0; i < record.xy.length; i++) record.xy[i] = Number(record.xy[i].toPrecision(7));
  }

  /** The writable pending sums of `day` in the current run's list `which`. */
  pending(which: 'inRun' | 'after', day: number): FuelSums {
    const run = this.ownRun();
    const list = run[which];
    const last = list.length - 1;
    if (last >= 0 && list[last].day === day) return this.own(list, last);
    const sums = emptySums(day);
    this.adopt(sums);
    list.push(sums);
    return sums;
  }

  /** A reading of the fuel-rate series (fuel rate known, moving): extends the current run or closes it. */
  reading(t: number, value: number): void {
    const run = this.run;
    if (run !== null && run.value === value) {
      const owned = this.ownRun();
      owned.count++;
      owned.lastT = t;
      // What came between its readings lies inside the run.
      for (const sums of owned.after) this.addTo(owned.inRun, sums);
      owned.after = [];
      return;
    }
    this.closeRun();
    this.run = { value, startT: t, lastT: t, count: 1, inRun: [], after: [] };
    this.runOwned = true;
  }

  private closeRun(): void {
    const run = this.run;
    if (run === null) return;
    if (isStuckRun(run)) {
      if (this.stuck.length < MAX_STUCK_RUNS) this.stuck = [...this.stuck, { startT: run.startT, endT: run.lastT }];
    } else {
      for (const sums of run.inRun) this.flush(sums);
    }
    for (const sums of run.after) this.flush(sums);
    this.run = null;
    this.runOwned = false;
  }

  private flush(sums: FuelSums): void {
    // Pending sums belong to a day already in the list (its segment created it), unless pruned since.
    for (let i = this.days.length - 1; i >= 0; i--) {
      if (this.days[i].day === sums.day) {
        addSums(this.writable(this.own(this.days, i)), sums);
        return;
      }
      if (this.days[i].day < sums.day) return;
    }
  }

  private addTo(list: FuelSums[], sums: FuelSums): void {
    const last = list.length - 1;
    if (last >= 0 && list[last].day === sums.day) addSums(this.writable(this.own(list, last)), sums);
    else list.push(sums);
  }

  private ownRun(): FuelRun {
    const run = this.run;
    if (run === null) throw new Error('no current fuel-rate run');
    if (this.runOwned) return run;
    const copy: FuelRun = { ...run, inRun: run.inRun.slice(), after: run.after.slice() };
    this.runOwned = true;
    this.run = copy;
    return copy;
  }

  /** A shallow copy of list[index] that this fold may write counters into (arrays: see writable). */
  private own<T extends FuelSums>(list: T[], index: number): T {
    const record = list[index];
    if (this.owned.includes(record)) return record;
    const copy = { ...record };
    this.owned.push(copy);
    list[index] = copy;
    return copy;
  }

  /** `sums` (owned by this fold) with its arrays copied once, so they may be written in place. */
  writable<T extends FuelSums>(sums: T): T {
    if (!this.ownedArrays.includes(sums.cells)) this.ownedArrays.push((sums.cells = sums.cells.slice()));
    if (!this.ownedArrays.includes(sums.xx)) this.ownedArrays.push((sums.xx = sums.xx.slice()));
    if (!this.ownedArrays.includes(sums.xy)) this.ownedArrays.push((sums.xy = sums.xy.slice()));
    return sums;
  }

  private adopt(sums: FuelSums): void {
    this.owned.push(sums);
    this.ownedArrays.push(sums.cells);
    this.ownedArrays.push(sums.xx);
    this.ownedArrays.push(sums.xy);
  }
}

function isStuckRun(run: FuelRun): boolean {
  return run.count >= 180 && run.lastT - run.startT >= FUEL_SETTINGS.stuckSensorMs;
}

export class FuelEconomyModel implements IncrementalModel<FuelSummary, FuelEconomyState> {
  readonly component = 'FUEL_ECONOMY' as const;
  readonly version = 'fuel-economy/2.0.0';
  readonly summaryVersion = 'fuel-economy-summary/1';

  assess(history: VehicleHistory, previousState: FuelEconomyState | undefined, now: Date): ModelResult<FuelEconomyState> {
    return assessInFull(this, history, previousState, now);
  }

  emptySummary(): FuelSummary {
    return { days: [], run: null, stuck: [] };
  }

  fold(summary: FuelSummary, segment: TelemetrySegment): FuelSummary {
    const work = new FuelFold(summary);
    const day = utcDay(segment.startMs);
    const record = work.day(day, segment.startMs);
    const samples = segment.samples;
    const row = new Float64Array(FEATURE_COUNT);
    let previous: TelemetryPoint | undefined;
    // One pass over the segment. An engine-off sample ends the drive, so acceleration is never computed
    // across a stop (fuelCell also ignores gaps over 30 s); segments never cut inside a drive.
    for (let i = 0; i < samples.length; i++) {
      const point = samples[i];
      const lph = point.fuelRateLph;
      record.samples++;
      const inSeries = lph !== undefined && (point.speedKph ?? 0) > 0;
      if (lph !== undefined) {
        record.withFuel++;
        if (point.fuelRateEstimated === true) record.estimated++;
        if (inSeries) work.reading(point.ts.getTime(), lph);
      }
      if (point.rpm === 0) {
        previous = undefined;
        continue;
      }
      const cell = fuelCellIndex(point, previous);
      previous = point;
      if (cell < 0 || lph === undefined) continue;
      writeFeatures(samples, i, row, 0);
      // While a run of identical readings is open, its samples (and those between its readings) wait.
      const into = work.writable(work.run === null ? record : work.pending(inSeries ? 'inRun' : 'after', day));
      into.cells[cell]++;
      if (isCity(point)) into.city++;
      addMoments(into.xx, into.xy, row, lph);
    }
    return work.result();
  }

  prune(summary: FuelSummary, horizonMs: number): FuelSummary {
    const first = utcDay(horizonMs);
    if ((summary.days[0]?.day ?? first) >= first && summary.stuck.every((r) => r.startT >= horizonMs)) return summary;
    const run =
      summary.run === null
        ? null
        : { ...summary.run, inRun: summary.run.inRun.filter((s) => s.day >= first), after: summary.run.after.filter((s) => s.day >= first) };
    return { days: summary.days.filter((d) => d.day >= first), run, stuck: summary.stuck.filter((r) => r.startT >= horizonMs) };
  }

  decide(summary: FuelSummary, context: DecisionContext, previousState: FuelEconomyState | undefined, now: Date): ModelResult<FuelEconomyState> {
    const s = FUEL_SETTINGS;
    const reset = lastReset(context.serviceEvents, RESET_KINDS, now);
    const resetAt = reset?.performedAt.toISOString() ?? null;
    if (context.profile.fuelType === 'ELECTRIC') return this.notApplicable(resetAt);

    // A reset drops the days that had telemetry before it (whole days: the summary is per day).
    const resetMs = reset?.performedAt.getTime() ?? -Infinity;
    const { days, stuck, samples, withFuel, estimated } = usableDays(summary, resetMs);
    const estimatedShare = withFuel === 0 ? 0 : estimated / withFuel;

    let baseline = previousState?.baseline ?? null;
    // A baseline from the cell-table version (no coefficients) is relearned.
    if (baseline !== null && !Array.isArray(baseline.coefficients)) baseline = null;
    if (baseline !== null && (previousState?.resetAt ?? null) !== resetAt) baseline = null;
    const learnedNow = baseline === null;
    baseline ??= learnBaseline(days);

    const findings: Finding[] = [];
    const ratios = baseline === null ? [] : dayRatios(days, baseline);
    // The level is judged on days after the baseline period only: those inside it are ~1 by construction.
    // Days after the baseline only (those inside it are ~1 by construction), and recent in time too: a
    // low-mileage car's last seven driving days can span weeks.
    const since = utcDay(now.getTime()) - s.recentWindowDays;
    const recent = ratios.filter((r) => (baseline === null || isoDay(r.day) > baseline.toDay) && r.day >= since).slice(-s.recentDays);
    const insufficient = baseline === null || recent.length < s.minRecentDays;
    let degradation: { pct: number; low: number; high: number } | null = null;
    let forecast: CrossingForecast | null = null;
    let slopePctPerDay: number | null = null;

    if (!insufficient && baseline !== null) {
      degradation = pooledLevel(recent);
      if (ratios.length >= 7) {
        const nowDay = now.getTime() / DAY_MS;
        const fit = theilSen(ratios.map((r) => ({ x: r.day + 0.5 - nowDay, y: r.ratio })));
        slopePctPerDay = fit.slope * 100;
        forecast = forecastCrossing(fit, 1 + s.lossTargetPct / 100, 0, 'up');
        if (forecast !== null && forecast.eta > s.forecastHorizonDays) forecast = null;
      }
      const risk = degradationRisk(degradation, forecast);
      if (risk !== 'OK') findings.push(degradationFinding(risk, degradation, forecast));
      const pattern = patternFinding(baseline, days.slice(-s.recentDays));
      if (pattern) findings.push(pattern);
    }
    if (stuck > 0) {
      findings.push({
        code: 'FUEL_RATE_SENSOR_STUCK',
        subject: 'sensor',
        risk: 'WATCH',
        message: 'The fuel consumption reading stayed exactly the same for an hour or more while driving, so those readings were ignored.',
        params: { runs: stuck },
      });
    }

    const risk = maxRisk(...findings.map((f) => f.risk));
    const confidence: ComponentAssessment['confidence'] = insufficient
      ? { kind: 'insufficient-data', reason: insufficientReason(days.length, baseline, recent.length) }
      : forecast !== null
        ? { kind: 'interval', unit: 'days', level: forecast.level, low: round(forecast.low, 1), high: round(Math.min(forecast.high, 3650), 1) }
        : { kind: 'probability', value: round(Math.min(0.9, 0.5 + ratios.length / 60) * (estimatedShare > 0.5 ? 0.8 : 1), 2) };
    const dueAt = forecast !== null && risk !== 'OK' ? new Date(now.getTime() + forecast.eta * DAY_MS) : undefined;

    const assessment: ComponentAssessment = {
      component: this.component,
      modelVersion: this.version,
      health: healthFor(risk, 100 - 4 * Math.max(0, degradation?.pct ?? 0)),
      risk,
      ...(dueAt ? { dueAt } : {}),
      confidence,
      evidence: {
        baseline:
          baseline === null
            ? null
            : {
                cells: baseline.cells.length,
                coefficients: baseline.coefficients.map((c) => round(c, 4)),
                calibration: round(baseline.calibration, 4),
                idleShare: round(baseline.idleShare),
                cityShare: round(baseline.cityShare),
                daysUsed: baseline.daysUsed,
                fromDay: baseline.fromDay,
                toDay: baseline.toDay,
              },
        baselineLearnedThisRun: learnedNow && baseline !== null,
        degradationPct:
          degradation === null ? null : { value: round(degradation.pct, 1), low90: round(degradation.low, 1), high90: round(degradation.high, 1) },
        dailyRatios: ratios.map((r) => ({ day: isoDay(r.day), ratio: round(r.ratio, 3), coverage: round(r.coverage) })),
        slopePctPerDay: slopePctPerDay === null ? null : round(slopePctPerDay, 3),
        forecastDaysToLoss:
          forecast === null
            ? null
            : { targetPct: s.lossTargetPct, eta: round(forecast.eta, 1), low: round(forecast.low, 1), high: round(Math.min(forecast.high, 3650), 1) },
        recentIdleShare: days.length === 0 ? null : round(median(days.slice(-s.recentDays).map((d) => d.idleShare))),
        recentCityShare: days.length === 0 ? null : round(median(days.slice(-s.recentDays).map((d) => d.cityShare))),
        estimatedFuelRateShare: round(estimatedShare),
        // The driver cleans the telemetry before folding (duplicates, order, future points): a summary of
        // clean segments has none of them to count.
        samples: { used: samples, duplicates: 0, outOfOrder: 0, invalid: 0, days: days.length },
        resetAt,
      },
      explanation: explain(risk, findings, degradation),
      findings,
    };
    return { assessment, state: { baseline, resetAt } };
  }

  private notApplicable(resetAt: string | null): ModelResult<FuelEconomyState> {
    return {
      assessment: {
        component: this.component,
        modelVersion: this.version,
        health: 100,
        risk: 'OK',
        confidence: { kind: 'insufficient-data', reason: 'Electric vehicle: there is no fuel consumption to assess.' },
        evidence: { fuelType: 'ELECTRIC' },
        explanation: 'Not applicable to an electric vehicle.',
        findings: [],
      },
      state: { baseline: null, resetAt },
    };
  }
}

/**
 * The days the decision reads: those whose telemetry all came after the reset, with the current run's
 * pending samples settled as the end of the series would settle them (a run still open counts as stuck
 * if it already lasts an hour), and only days with enough usable samples.
 */
function usableDays(summary: FuelSummary, resetMs: number): { days: FuelDay[]; stuck: number; samples: number; withFuel: number; estimated: number } {
  const s = FUEL_SETTINGS;
  const run = summary.run;
  const runStuck = run !== null && isStuckRun(run);
  const pending = run === null ? [] : runStuck ? run.after : [...run.inRun, ...run.after];
  let stuck = summary.stuck.filter((r) => r.endT >= resetMs).length + (runStuck && run.lastT >= resetMs ? 1 : 0);
  stuck = Math.min(stuck, MAX_STUCK_RUNS);
  const days: FuelDay[] = [];
  let samples = 0;
  let withFuel = 0;
  let estimated = 0;
  for (const record of summary.days) {
    if (record.firstMs < resetMs) continue;
    samples += record.samples;
    withFuel += record.withFuel;
    estimated += record.estimated;
    let sums: FuelSums = record;
    for (const p of pending) {
      if (p.day !== record.day) continue;
      if (sums === record) sums = cloneSums(record);
      addSums(sums, p);
    }
    const count = sums.xx[0];
    if (count < s.minSamplesPerDay) continue;
    const idle = sums.cells[0];
    const moving = count - idle;
    days.push({ day: record.day, count, sums, idleShare: idle / count, cityShare: moving === 0 ? 0 : sums.city / moving });
  }
  return { days, stuck, samples, withFuel, estimated };
}

function learnBaseline(days: readonly FuelDay[]): FuelBaseline | null {
  const s = FUEL_SETTINGS;
  // The first days after the reset, but only within a short span of the calendar: a low-mileage car's
  // tenth driving day can be weeks in, well into a developing fault that the baseline would then absorb.
  const spanEnd = (days[0]?.day ?? 0) + s.baselineSpanDays;
  let first = days.filter((d) => d.day < spanEnd).slice(0, s.baselineDays);
  // Learned once and kept, so it must not be learned from the first few days while more are coming:
  // wait until the baseline has its full count of days or its span is over.
  const spanOver = days.length > 0 && days[days.length - 1].day >= spanEnd;
  if (first.length < s.baselineDays && !spanOver) return null;
  // Too little inside the span (a car that barely moves): take the first few driving days wherever they fall.
  if (first.length < s.minBaselineDays || first.reduce((n, d) => n + d.count, 0) < s.minBaselineSamples) {
    first = [];
    let samples = 0;
    for (const day of days) {
      if (first.length >= s.minBaselineDays && samples >= s.minBaselineSamples) break;
      first.push(day);
      samples += day.count;
    }
  }
  if (first.length < s.minBaselineDays || first.reduce((n, d) => n + d.count, 0) < s.minBaselineSamples) return null;
  const pooled = emptySums(first[0].day);
  for (const day of first) addSums(pooled, day.sums);
  const coefficients = fitMoments(pooled.xx, pooled.xy);
  if (coefficients === null) return null;
  const cells = FUEL_CELLS.filter((_, i) => pooled.cells[i] >= s.minSamplesPerCell);
  const raw = dayRatios(first, { coefficients, cells, calibration: 1 });
  if (raw.length < s.minBaselineDays) return null;
  return {
    coefficients,
    cells,
    // The fit has an intercept, so this is ~1; dividing by it keeps the baseline period at exactly 1.0.
    calibration: pooledRatio(raw),
    idleShare: median(first.map((d) => d.idleShare)),
    cityShare: median(first.map((d) => d.cityShare)),
    daysUsed: first.length,
    fromDay: isoDay(first[0].day),
    toDay: isoDay(first[first.length - 1].day),
  };
}

function dayRatios(days: readonly FuelDay[], baseline: Pick<FuelBaseline, 'coefficients' | 'cells' | 'calibration'>): DayRatio[] {
  const known = FUEL_CELLS.map((cell) => baseline.cells.includes(cell));
  const ratios: DayRatio[] = [];
  for (const day of days) {
    let covered = 0;
    for (let i = 0; i < known.length; i++) if (known[i]) covered += day.sums.cells[i];
    const actual = day.sums.xy[0];
    const expected = expectedFromMoments(baseline.coefficients, day.sums.xx);
    // Driving the baseline never saw (a first motorway trip) would be extrapolated: such days are left out.
    const coverage = covered / day.count;
    if (coverage >= FUEL_SETTINGS.minCoverage && expected > 0) {
      ratios.push({ day: day.day, ratio: actual / expected / baseline.calibration, coverage, actual, expected: expected * baseline.calibration });
    }
  }
  return ratios;
}

/** Sum of actual over sum of expected: a long day counts more than a five-minute one. */
function pooledRatio(ratios: readonly DayRatio[]): number {
  let actual = 0;
  let expected = 0;
  for (const r of ratios) {
    actual += r.actual;
    expected += r.expected;
  }
  return expected > 0 ? actual / expected : 1;
}

/**
 * Loss % over the recent days, pooled (sum actual / sum expected), with a 90 % interval from how much the
 * days disagree (weighted by their expected fuel, with a floor: seven days that happen to agree are not
 * proof to a tenth of a percent).
 */
function pooledLevel(recent: readonly DayRatio[]): { pct: number; low: number; high: number } {
  const level = pooledRatio(recent);
  let w = 0;
  let w2 = 0;
  let ss = 0;
  for (const r of recent) {
    w += r.expected;
    w2 += r.expected * r.expected;
    ss += r.expected * (r.ratio - level) ** 2;
  }
  const sd = Math.max(Math.sqrt(ss / w), FUEL_SETTINGS.minDaySd);
  const effectiveDays = (w * w) / w2;
  const halfWidth = (1.645 * sd) / Math.sqrt(Math.max(1, effectiveDays - 1));
  return { pct: (level - 1) * 100, low: (level - halfWidth - 1) * 100, high: (level + halfWidth - 1) * 100 };
}

function degradationRisk(d: { pct: number; low: number }, forecast: CrossingForecast | null): Risk {
  const s = FUEL_SETTINGS;
  const eta = forecast?.eta ?? Infinity;
  // A slope through noisy days can point at 15 % from a loss of 4 %: a forecast counts towards SOON only
  // when it is tight (its slow end within twice the horizon) and the loss itself is clearly real.
  const tightForecast = forecast !== null && eta <= s.soonForecastDays && forecast.high <= 2 * s.soonForecastDays;
  // A loss must be distinguishable from day-to-day noise (the lower bound above 0) to count at all.
  if (d.low <= 0) return eta <= 90 ? 'WATCH' : 'OK';
  if (d.pct >= 20 && d.low >= s.lossTargetPct) return 'URGENT';
  if (d.low >= s.soonMinLowPct && (d.pct >= 10 || tightForecast)) return 'SOON';
  if (d.pct >= 5 || eta <= 90) return 'WATCH';
  return 'OK';
}

function degradationFinding(risk: Risk, d: { pct: number; low: number; high: number }, forecast: CrossingForecast | null): Finding {
  const when = forecast === null ? '' : ` At this rate it reaches ${FUEL_SETTINGS.lossTargetPct} % in about ${Math.round(forecast.eta)} days.`;
  return {
    code: 'FUEL_ECONOMY_DEGRADED',
    subject: '',
    risk,
    message:
      `Your car uses about ${round(d.pct, 0)} % more fuel than it used to for the same kind of driving.${when} ` +
      'Common causes: a clogged air filter, worn spark plugs, a faulty sensor, low tyre pressure or dragging brakes; have it checked.',
    params: {
      degradationPct: round(d.pct, 1),
      low90: round(d.low, 1),
      high90: round(d.high, 1),
      ...(forecast === null ? {} : { daysToTarget: Math.round(forecast.eta) }),
    },
  };
}

function patternFinding(baseline: FuelBaseline, recent: readonly FuelDay[]): Finding | null {
  if (recent.length === 0) return null;
  const idle = median(recent.map((d) => d.idleShare));
  const city = median(recent.map((d) => d.cityShare));
  const shift = FUEL_SETTINGS.patternShiftShare;
  if (Math.abs(idle - baseline.idleShare) < shift && Math.abs(city - baseline.cityShare) < shift) return null;
  return {
    code: 'DRIVING_PATTERN_CHANGED',
    subject: 'driving',
    risk: 'OK',
    message:
      `Your recent driving differs from before (idling ${Math.round(idle * 100)} % of the time, was ${Math.round(baseline.idleShare * 100)} %; ` +
      `city ${Math.round(city * 100)} %, was ${Math.round(baseline.cityShare * 100)} %). This changes fuel use but is not a fault and is allowed for.`,
    params: {
      idleShare: round(idle),
      baselineIdleShare: round(baseline.idleShare),
      cityShare: round(city),
      baselineCityShare: round(baseline.cityShare),
    },
  };
}

function insufficientReason(days: number, baseline: FuelBaseline | null, recentDays: number): string {
  if (baseline === null)
    return `Needs ${FUEL_SETTINGS.minBaselineDays} days of driving with fuel-rate readings to learn this car's normal use; has ${days}.`;
  return `Baseline learned; needs ${FUEL_SETTINGS.minRecentDays} comparable days of driving after it, has ${recentDays}.`;
}

function explain(risk: Risk, findings: readonly Finding[], d: { pct: number } | null): string {
  const worst = findings.find((f) => f.risk === risk && risk !== 'OK');
  if (worst) return worst.message;
  if (d === null) return 'Not enough driving with fuel readings yet to judge fuel economy.';
  return `Fuel economy is normal for the way the car is driven (${d.pct >= 0 ? '+' : ''}${round(d.pct, 1)} % against its own baseline).`;
}
