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
import type { ComponentAssessment, Finding, MaintenanceModel, ModelResult, Risk, TelemetryPoint, VehicleHistory } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import { theilSen } from '../stats/robust-regression.js';
import { findFlatRuns, flatRunHours, forecastCrossing, inFlatRuns, type CrossingForecast, type FlatRun } from '../stats/change-detection.js';
import { capRisk, healthFor, maxRisk } from '../common/risk-scale.js';
import { cleanSamples, DAY_MS, isoDay, lastReset, samplesSince, splitDrives, utcDay } from '../common/telemetry-sessions.js';
import { round, roundOrNull } from '../common/rounding.js';

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

interface DailyBattery {
  day: number;
  resting: number[];
  crankDips: number[];
  charging: number[];
}

export class BatteryModel implements MaintenanceModel<BatteryState> {
  readonly component = 'BATTERY' as const;
  readonly version = 'battery/1.0.0';

  assess(history: VehicleHistory, previousState: BatteryState | undefined, now: Date): ModelResult<BatteryState> {
    const s = BATTERY_SETTINGS;
    const reset = lastReset(history.serviceEvents, ['BATTERY_REPLACEMENT'], now);
    const resetAt = reset?.performedAt.toISOString() ?? null;
    const clean = cleanSamples(history.samples, now);
    const all = samplesSince(clean.samples, reset?.performedAt);
    const stuck = findStuckVoltage(all);
    const samples = stuck.length === 0 ? all : all.filter((p) => !inFlatRuns(p.ts.getTime(), stuck));
    const days = collectDays(samples);

    const restingDays = days.filter((d) => d.resting.length > 0);
    const crankDays = days.filter((d) => d.crankDips.length > 0);
    const chargingDays = days.filter((d) => d.charging.length >= s.minChargingReadingsPerDay);
    const recentResting = lastMedian(
      restingDays.map((d) => median(d.resting)),
      s.recentDays,
    );
    const recentCrank = lastMedian(
      crankDays.map((d) => Math.min(...d.crankDips)),
      s.recentDays,
    );
    const recentCharging = lastMedian(
      chargingDays.map((d) => median(d.charging)),
      3,
    );

    let baseline = previousState?.baseline ?? null;
    if (baseline !== null && (previousState?.resetAt ?? null) !== resetAt) baseline = null;
    baseline ??= learnBaseline(days);

    let forecast: CrossingForecast | null = null;
    if (restingDays.length >= s.minTrendDays) {
      const nowDay = now.getTime() / DAY_MS;
      const fit = theilSen(restingDays.map((d) => ({ x: d.day + 0.5 - nowDay, y: median(d.resting) })));
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
          restingV: d.resting.length === 0 ? null : round(median(d.resting)),
          crankDipV: d.crankDips.length === 0 ? null : round(Math.min(...d.crankDips)),
          chargingV: d.charging.length === 0 ? null : round(median(d.charging)),
        })),
        stuckSensorHours: round(flatRunHours(stuck), 1),
        samples: { used: samples.length, duplicates: clean.duplicates, outOfOrder: clean.outOfOrder, invalid: clean.invalid },
        resetAt,
      },
      explanation: explain(risk, findings, recentResting, recentCharging),
      findings,
    };
    return { assessment, state: { baseline, resetAt } };
  }
}

function collectDays(samples: readonly TelemetryPoint[]): DailyBattery[] {
  const s = BATTERY_SETTINGS;
  const byDay = new Map<number, DailyBattery>();
  const dayOf = (t: number): DailyBattery => {
    const day = utcDay(t);
    let bucket = byDay.get(day);
    if (!bucket) byDay.set(day, (bucket = { day, resting: [], crankDips: [], charging: [] }));
    return bucket;
  };
  // Resting: engine off, not moving, long enough after the engine last ran.
  let lastRunning = -Infinity;
  for (const p of samples) {
    const t = p.ts.getTime();
    if (p.rpm === undefined || p.rpm > 0) {
      lastRunning = t;
      continue;
    }
    if (p.batteryV !== undefined && (p.speedKph ?? 0) === 0 && t - lastRunning >= s.restAfterEngineOffMs) dayOf(t).resting.push(p.batteryV);
  }
  for (const drive of splitDrives(samples)) {
    let dip = Infinity;
    for (const p of drive.preStart)
      if (p.batteryV !== undefined && drive.startMs - p.ts.getTime() <= s.crankWindowBeforeMs) dip = Math.min(dip, p.batteryV);
    for (const p of drive.samples) {
      const since = p.ts.getTime() - drive.startMs;
      if (p.batteryV === undefined) continue;
      if (since <= s.crankWindowAfterMs) dip = Math.min(dip, p.batteryV);
      if (since >= s.chargingAfterStartMs && p.rpm !== undefined && p.rpm >= 500) dayOf(p.ts.getTime()).charging.push(p.batteryV);
    }
    if (dip < s.capturedDipBelowV) dayOf(drive.startMs).crankDips.push(dip);
  }
  return [...byDay.values()].sort((a, b) => a.day - b.day);
}

/**
 * A regulator can hold 14.2 V to the last digit for a long drive, so a flat run alone proves nothing;
 * the same value with the engine off and running (resting and charging cannot match), or for a whole
 * day, does.
 */
function findStuckVoltage(samples: readonly TelemetryPoint[]): FlatRun[] {
  const withV = samples.filter((p): p is TelemetryPoint & { batteryV: number } => p.batteryV !== undefined);
  const runs = findFlatRuns(
    withV.map((p) => ({ t: p.ts.getTime(), v: p.batteryV })),
    { tolerance: 0, minDurationMs: BATTERY_SETTINGS.stuckSensorMs, minPoints: 360 },
  );
  return runs.filter((run) => {
    if (run.endT - run.startT >= DAY_MS) return true;
    const inRun = withV.slice(run.startIndex, run.endIndex + 1);
    return inRun.some((p) => p.rpm === 0) && inRun.some((p) => p.rpm !== undefined && p.rpm > 0);
  });
}

function learnBaseline(days: readonly DailyBattery[]): BatteryBaseline | null {
  const first = days.slice(0, BATTERY_SETTINGS.baselineDays);
  if (first.length < BATTERY_SETTINGS.minDays) return null;
  const resting = first.flatMap((d) => d.resting);
  const cranks = first.flatMap((d) => d.crankDips);
  return {
    restingV: resting.length === 0 ? null : median(resting),
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

function stuckFinding(runs: readonly FlatRun[]): Finding {
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
