// Fuel economy: does this car burn more fuel than it used to for the same driving?
//
// Approach. Raw L/100 km mostly measures how the car is driven (city, idling, motorway), so:
// 1. Each fuel-rate sample is put in a driving-situation cell (speed band x accelerating / cruising /
//    slowing, or idle; see fuel-cells.ts).
// 2. Baseline: the median fuel rate per cell over the first days after a reset (FUEL_SYSTEM_SERVICE,
//    AIR_FILTER or no history). It is persisted and never relearned from a degraded period.
// 3. Each later day: ratio = sum(actual) / sum(baseline median of each sample's cell). A day with more
//    city driving or idling uses more fuel but also *expects* more, so the ratio only moves when the
//    car itself got worse. Idle and city shares are tracked and reported separately.
// 4. Degradation % = median of the last 7 daily ratios - 1, with a 90 % interval from the spread;
//    Theil-Sen on the daily ratios forecasts when the loss reaches 15 %.
// Fuel rate estimated from MAF is proportional to airflow, which is what degradation raises, so it is
// used too, but the evidence says so. Electric vehicles have nothing to assess.
import type { ComponentAssessment, Finding, MaintenanceModel, ModelResult, Risk, TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import { mad, median } from '../stats/descriptive.js';
import { theilSen } from '../stats/robust-regression.js';
import { findFlatRuns, forecastCrossing, type CrossingForecast } from '../stats/change-detection.js';
import { healthFor, maxRisk } from '../engine-cooling/risk-scale.js';
import { cleanSamples, DAY_MS, isoDay, lastReset, round, samplesSince, utcDay } from '../engine-cooling/telemetry-sessions.js';
import { fuelCell, IDLE_CELL, isCity } from './fuel-cells.js';

export interface FuelBaseline {
  /** Median fuel rate (L/h) per driving cell. */
  cells: Record<string, { medianLph: number; n: number }>;
  /**
   * Median raw ratio of the baseline days themselves. Summing cell medians is not exactly summing the
   * samples (a cell's median is not its mean), so ratios are divided by this: the baseline period is 1.0.
   */
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
  baselineDays: 7,
  minBaselineDays: 5,
  minSamplesPerDay: 60,
  minSamplesPerCell: 10,
  /** A day counts only if most of its samples fall in cells the baseline knows. */
  minCoverage: 0.6,
  recentDays: 7,
  minRecentDays: 5,
  lossTargetPct: 15,
  patternShiftShare: 0.15,
  stuckSensorMs: 3_600_000,
  forecastHorizonDays: 365,
} as const;

const RESET_KINDS = ['FUEL_SYSTEM_SERVICE', 'AIR_FILTER'] as const;

interface FuelDay {
  day: number;
  /** Cell and fuel rate of the day's usable samples (parallel arrays: this is the hot data). */
  cells: string[];
  lph: number[];
  idleShare: number;
  cityShare: number;
}

interface DayRatio {
  day: number;
  ratio: number;
  coverage: number;
}

export class FuelEconomyModel implements MaintenanceModel<FuelEconomyState> {
  readonly component = 'FUEL_ECONOMY' as const;
  readonly version = 'fuel-economy/1.0.0';

  assess(history: VehicleHistory, previousState: FuelEconomyState | undefined, now: Date): ModelResult<FuelEconomyState> {
    const s = FUEL_SETTINGS;
    const reset = lastReset(history.serviceEvents, RESET_KINDS, now);
    const resetAt = reset?.performedAt.toISOString() ?? null;
    if (history.profile.fuelType === 'ELECTRIC') return this.notApplicable(resetAt);

    const clean = cleanSamples(history.samples, now);
    const samples = samplesSince(clean.samples, reset?.performedAt);
    const fuelSeries: Array<{ t: number; v: number }> = [];
    let estimated = 0;
    let withFuel = 0;
    for (const p of samples) {
      if (p.fuelRateLph === undefined) continue;
      withFuel++;
      if (p.fuelRateEstimated === true) estimated++;
      if ((p.speedKph ?? 0) > 0) fuelSeries.push({ t: p.ts.getTime(), v: p.fuelRateLph });
    }
    const stuck = findFlatRuns(fuelSeries, { tolerance: 0, minDurationMs: s.stuckSensorMs, minPoints: 180 });
    const days = bucketDays(samples, stuck.map((r) => [r.startT, r.endT]));
    const estimatedShare = withFuel === 0 ? 0 : estimated / withFuel;

    let baseline = previousState?.baseline ?? null;
    if (baseline !== null && (previousState?.resetAt ?? null) !== resetAt) baseline = null;
    const learnedNow = baseline === null;
    baseline ??= learnBaseline(days);

    const findings: Finding[] = [];
    const ratios = baseline === null ? [] : dayRatios(days, baseline);
    // The level is judged on days after the baseline period only: those inside it are ~1 by construction.
    const recent = ratios.filter((r) => baseline === null || isoDay(r.day) > baseline.toDay).slice(-s.recentDays);
    const insufficient = baseline === null || recent.length < s.minRecentDays;
    let degradation: { pct: number; low: number; high: number } | null = null;
    let forecast: CrossingForecast | null = null;
    let slopePctPerDay: number | null = null;

    if (!insufficient && baseline !== null) {
      const values = recent.map((r) => r.ratio);
      const level = median(values);
      // Standard error of a median ~ 1.2533 sigma / sqrt(n), sigma from the MAD; 1.645 for 90 %.
      const halfWidth = (1.645 * 1.2533 * Math.max(1.4826 * mad(values), 0.01)) / Math.sqrt(values.length);
      degradation = { pct: (level - 1) * 100, low: (level - halfWidth - 1) * 100, high: (level + halfWidth - 1) * 100 };
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
    if (stuck.length > 0) {
      findings.push({
        code: 'FUEL_RATE_SENSOR_STUCK',
        subject: 'sensor',
        risk: 'WATCH',
        message: 'The fuel consumption reading stayed exactly the same for an hour or more while driving, so those readings were ignored.',
        params: { runs: stuck.length },
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
            : { cells: Object.keys(baseline.cells).length, calibration: round(baseline.calibration, 4), idleShare: round(baseline.idleShare), cityShare: round(baseline.cityShare), daysUsed: baseline.daysUsed, fromDay: baseline.fromDay, toDay: baseline.toDay },
        baselineLearnedThisRun: learnedNow && baseline !== null,
        degradationPct: degradation === null ? null : { value: round(degradation.pct, 1), low90: round(degradation.low, 1), high90: round(degradation.high, 1) },
        dailyRatios: ratios.map((r) => ({ day: isoDay(r.day), ratio: round(r.ratio, 3), coverage: round(r.coverage) })),
        slopePctPerDay: slopePctPerDay === null ? null : round(slopePctPerDay, 3),
        forecastDaysToLoss: forecast === null ? null : { targetPct: s.lossTargetPct, eta: round(forecast.eta, 1), low: round(forecast.low, 1), high: round(Math.min(forecast.high, 3650), 1) },
        recentIdleShare: days.length === 0 ? null : round(median(days.slice(-s.recentDays).map((d) => d.idleShare))),
        recentCityShare: days.length === 0 ? null : round(median(days.slice(-s.recentDays).map((d) => d.cityShare))),
        estimatedFuelRateShare: round(estimatedShare),
        samples: { used: samples.length, duplicates: clean.duplicates, outOfOrder: clean.outOfOrder, invalid: clean.invalid, days: days.length },
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

function bucketDays(samples: readonly TelemetryPoint[], stuck: ReadonlyArray<[number, number]>): FuelDay[] {
  const byDay = new Map<number, { cells: string[]; lph: number[]; idle: number; city: number; moving: number }>();
  let currentDay = NaN;
  let bucket: { cells: string[]; lph: number[]; idle: number; city: number; moving: number } | undefined;
  let previous: TelemetryPoint | undefined;
  // One pass, no per-drive copies: this loop is most of the model's cost. An engine-off sample ends the
  // drive, so acceleration is never computed across a stop (fuelCell also ignores gaps over 30 s).
  for (const point of samples) {
    if (point.rpm === 0) {
      previous = undefined;
      continue;
    }
    const cell = fuelCell(point, previous);
    previous = point;
    if (cell === null || point.fuelRateLph === undefined) continue;
    const t = point.ts.getTime();
    if (stuck.length > 0 && stuck.some(([a, b]) => t >= a && t <= b)) continue;
    const day = utcDay(t);
    if (day !== currentDay || bucket === undefined) {
      currentDay = day;
      bucket = byDay.get(day);
      if (!bucket) byDay.set(day, (bucket = { cells: [], lph: [], idle: 0, city: 0, moving: 0 }));
    }
    bucket.cells.push(cell);
    bucket.lph.push(point.fuelRateLph);
    if (cell === IDLE_CELL) bucket.idle++;
    else bucket.moving++;
    if (isCity(point)) bucket.city++;
  }
  return [...byDay.entries()]
    .filter(([, b]) => b.cells.length >= FUEL_SETTINGS.minSamplesPerDay)
    .sort((a, b) => a[0] - b[0])
    .map(([day, b]) => ({ day, cells: b.cells, lph: b.lph, idleShare: b.idle / b.cells.length, cityShare: b.moving === 0 ? 0 : b.city / b.moving }));
}

function learnBaseline(days: readonly FuelDay[]): FuelBaseline | null {
  const s = FUEL_SETTINGS;
  const first = days.slice(0, s.baselineDays);
  if (first.length < s.minBaselineDays) return null;
  const byCell = new Map<string, number[]>();
  for (const day of first) {
    for (let i = 0; i < day.cells.length; i++) {
      let list = byCell.get(day.cells[i]);
      if (!list) byCell.set(day.cells[i], (list = []));
      list.push(day.lph[i]);
    }
  }
  const cells: FuelBaseline['cells'] = {};
  for (const [cell, list] of byCell) if (list.length >= s.minSamplesPerCell) cells[cell] = { medianLph: median(list), n: list.length };
  const raw = dayRatios(first, { cells, calibration: 1 });
  if (raw.length < s.minBaselineDays) return null;
  return {
    cells,
    calibration: median(raw.map((r) => r.ratio)),
    idleShare: median(first.map((d) => d.idleShare)),
    cityShare: median(first.map((d) => d.cityShare)),
    daysUsed: first.length,
    fromDay: isoDay(first[0].day),
    toDay: isoDay(first[first.length - 1].day),
  };
}

function dayRatios(days: readonly FuelDay[], baseline: Pick<FuelBaseline, 'cells' | 'calibration'>): DayRatio[] {
  const ratios: DayRatio[] = [];
  for (const day of days) {
    let actual = 0;
    let expected = 0;
    let covered = 0;
    for (let i = 0; i < day.cells.length; i++) {
      const reference = baseline.cells[day.cells[i]];
      if (reference === undefined || reference.medianLph <= 0) continue;
      actual += day.lph[i];
      expected += reference.medianLph;
      covered++;
    }
    const coverage = covered / day.cells.length;
    if (coverage >= FUEL_SETTINGS.minCoverage && expected > 0) ratios.push({ day: day.day, ratio: actual / expected / baseline.calibration, coverage });
  }
  return ratios;
}

function degradationRisk(d: { pct: number; low: number }, forecast: CrossingForecast | null): Risk {
  const eta = forecast?.eta ?? Infinity;
  // A loss must be distinguishable from day-to-day noise (the lower bound above 0) to count at all.
  if (d.low <= 0) return eta <= 90 ? 'WATCH' : 'OK';
  if (d.pct >= 20) return 'URGENT';
  if (d.pct >= 10 || eta <= 30) return 'SOON';
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
    params: { degradationPct: round(d.pct, 1), low90: round(d.low, 1), high90: round(d.high, 1), ...(forecast === null ? {} : { daysToTarget: Math.round(forecast.eta) }) },
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
    params: { idleShare: round(idle), baselineIdleShare: round(baseline.idleShare), cityShare: round(city), baselineCityShare: round(baseline.cityShare) },
  };
}

function insufficientReason(days: number, baseline: FuelBaseline | null, recentDays: number): string {
  if (baseline === null) return `Needs ${FUEL_SETTINGS.minBaselineDays} days of driving with fuel-rate readings to learn this car's normal use; has ${days}.`;
  return `Baseline learned; needs ${FUEL_SETTINGS.minRecentDays} comparable days of driving after it, has ${recentDays}.`;
}

function explain(risk: Risk, findings: readonly Finding[], d: { pct: number } | null): string {
  const worst = findings.find((f) => f.risk === risk && risk !== 'OK');
  if (worst) return worst.message;
  if (d === null) return 'Not enough driving with fuel readings yet to judge fuel economy.';
  return `Fuel economy is normal for the way the car is driven (${d.pct >= 0 ? '+' : ''}${round(d.pct, 1)} % against its own baseline).`;
}
