// npm run bench:models [-- --vehicles 4 --days 30 --scores 100 --cadence 60000 --compare <dir>/libs/maintenance/src/index.js]
// The models alone (no database, no queue): what each incremental model costs per score in Node CPU. Each car's
// 30 days come from the simulator's driving model, shaped as the worker reads them (30-s buckets, hourly tyre
// medians, each wheel's newest raw pressures); one full score saves every summary, then every score adds a
// cadence of driving and continues from the saved summary and state through JSON, as the worker does.
// --compare: another build of libs/maintenance (e.g. main's, compiled elsewhere) runs on the same inputs in the
// same process, the two sides alternating score by score; every assessment must be identical (JSON) or it stops.
// Last line: one JSON object. With `node --cpu-prof` the profile shows where the models' time goes.
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { TelemetrySample } from '#app/maintenance/vocabulary';
import * as current from '#app/maintenance';
import type {
  DecisionContext,
  IncrementalModel,
  SavedSummary,
  TelemetryPoint,
  TireReadingPoint,
  TirePressurePoint,
  WheelPosition,
} from '#app/maintenance';
import { VehicleSimulation } from '../../apps/simulator/src/vehicle/vehicle-simulation.js';

type Maintenance = typeof current;
type Model = IncrementalModel<unknown, unknown>;

const { values } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '4' },
    days: { type: 'string', default: '30' },
    scores: { type: 'string', default: '100' },
    cadence: { type: 'string', default: '60000' },
    compare: { type: 'string' },
  },
});
const vehicleCount = Number(values.vehicles);
const days = Number(values.days);
const scores = Number(values.scores);
const cadenceMs = Number(values.cadence);
const DAY_MS = 86_400_000;
const BUCKET_MS = 30_000; // vehicle-history.loader.ts HISTORY_WINDOWS.telemetryBucketSeconds
const load = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const sides: { name: string; lib: Maintenance }[] = [{ name: 'current', lib: current }];
if (values.compare !== undefined) sides.push({ name: 'compare', lib: (await import(pathToFileURL(resolve(values.compare)).href)) as Maintenance });
const modelsOf = (lib: Maintenance): Model[] => lib.createMaintenanceModels().filter((m) => lib.isIncrementalModel(m));

// --- Inputs shaped as the worker's loader reads them -------------------------------------------------------------
interface Car {
  samples: TelemetryPoint[];
  tires: TireReadingPoint[];
  /** Each wheel's raw device pressures, ascending. */
  raw: Record<WheelPosition, TirePressurePoint[]>;
}

const average = (xs: number[]): number | undefined => (xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length);
const middle = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) / 2;
  return s[Math.floor(pos)]! + (s[Math.ceil(pos)]! - s[Math.floor(pos)]!) * (pos - Math.floor(pos));
};
const defined = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

function bucketed(raw: readonly TelemetrySample[]): TelemetryPoint[] {
  const buckets = new Map<number, TelemetrySample[]>();
  for (const s of raw) {
    const key = Math.floor(s.ts.getTime() / BUCKET_MS) * BUCKET_MS;
    const bucket = buckets.get(key);
    if (bucket === undefined) buckets.set(key, [s]);
    else bucket.push(s);
  }
  return [...buckets].map(([ts, group]) => {
    const of = (f: (s: TelemetrySample) => number | undefined): number[] => defined(group.map(f));
    const odometer = of((s) => s.odometerKm);
    const battery = of((s) => s.batteryV);
    const dtcs = [...new Set(group.flatMap((s) => s.dtcs ?? []))];
    return {
      ts: new Date(ts),
      odometerKm: odometer.length > 0 ? Math.max(...odometer) : undefined,
      speedKph: average(of((s) => s.speedKph)),
      rpm: average(of((s) => s.rpm)),
      coolantTempC: average(of((s) => s.coolantTempC)),
      fuelRateLph: average(of((s) => s.fuelRateLph)),
      fuelRateEstimated: group.some((s) => s.fuelRateEstimated === true) || undefined,
      batteryV: battery.length > 0 ? Math.min(...battery) : undefined,
      engineLoadPct: average(of((s) => s.engineLoadPct)),
      intakeTempC: average(of((s) => s.intakeTempC)),
      ambientTempC: average(of((s) => s.ambientTempC)),
      dtcs: dtcs.length > 0 ? dtcs : undefined,
    };
  });
}

function hourlyTires(raw: readonly TelemetrySample[]): { tires: TireReadingPoint[]; pressures: TirePressurePoint[] } {
  const hours = new Map<string, { position: WheelPosition; ts: number; km: number[]; tread: number[]; pressure: number[] }>();
  const pressures: TirePressurePoint[] = [];
  for (const s of raw) {
    for (const [position, reading] of Object.entries(s.tires ?? {}) as [WheelPosition, { treadMm?: number; pressureKpa?: number }][]) {
      const hour = Math.floor(s.ts.getTime() / 3_600_000) * 3_600_000;
      const key = `${position}@${hour}`;
      const entry = hours.get(key) ?? { position, ts: hour, km: [], tread: [], pressure: [] };
      hours.set(key, entry);
      if (s.odometerKm !== undefined) entry.km.push(s.odometerKm);
      if (reading.treadMm !== undefined) entry.tread.push(reading.treadMm);
      if (reading.pressureKpa !== undefined) {
        entry.pressure.push(reading.pressureKpa);
        pressures.push({ position, ts: s.ts, pressureKpa: reading.pressureKpa });
      }
    }
  }
  const tires = [...hours.values()]
    .map((h) => ({
      position: h.position,
      ts: new Date(h.ts),
      odometerKm: h.km.length > 0 ? Math.max(...h.km) : undefined,
      treadMm: middle(h.tread),
      pressureKpa: middle(h.pressure),
      source: 'DEVICE' as const,
    }))
    .sort((a, b) => a.ts.getTime() - b.ts.getTime());
  return { tires, pressures };
}

const firstScoreMs = Math.floor(Date.UTC(2026, 10, 20, 17, 3) / BUCKET_MS) * BUCKET_MS;
const endMs = firstScoreMs + scores * cadenceMs;
const generated = Date.now();
const cars: Car[] = [];
for (let i = 0; i < vehicleCount; i++) {
  const sim = new VehicleSimulation({
    vin: `LMODEL${String(i + 1).padStart(11, '0')}`,
    seed: 'models-bench',
    epoch: new Date(firstScoreMs - days * DAY_MS),
  });
  const raw: TelemetrySample[] = [];
  for (let t = firstScoreMs - days * DAY_MS; t <= endMs; t = sim.nextReportTime(t, 10_000, 5 * 60_000)) raw.push(sim.sampleAt(new Date(t)));
  const { tires, pressures } = hourlyTires(raw);
  const byWheel = (w: WheelPosition): TirePressurePoint[] => pressures.filter((p) => p.position === w);
  cars.push({ samples: bucketed(raw), tires, raw: { FL: byWheel('FL'), FR: byWheel('FR'), RL: byWheel('RL'), RR: byWheel('RR') } });
}
const profile = { make: 'Bench', model: 'Car', year: 2022, fuelType: 'PETROL' as const, oilServiceIntervalKm: 10_000, oilServiceIntervalMonths: 12 };

/** Index of the first element whose time is above `ms` (times ascending). */
function firstAfter<T>(xs: readonly T[], ms: number, time: (x: T) => number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (time(xs[mid]!) <= ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
const tsOf = (x: { ts: Date }): number => x.ts.getTime();

/** The context the worker hands a score: device tyre readings from the watermark on, each wheel's newest raw pressures. */
function contextAt(lib: Maintenance, car: Car, now: number, tiresFromMs: number): DecisionContext {
  const recent = (['FL', 'FR', 'RL', 'RR'] as const).flatMap((w) => {
    const raw = car.raw[w];
    const to = firstAfter(raw, now, tsOf);
    const from = firstAfter(raw, now - lib.RECENT_PRESSURE.maxAgeHours * 3_600_000, tsOf);
    return raw.slice(Math.max(from, to - lib.RECENT_PRESSURE.count), to);
  });
  return {
    profile,
    tireReadings: car.tires.slice(firstAfter(car.tires, tiresFromMs - 1, tsOf), firstAfter(car.tires, now, tsOf)),
    serviceEvents: [],
    odometerCorrections: [],
    recentTirePressures: recent.sort((a, b) => a.ts.getTime() - b.ts.getTime()),
  };
}

// --- Scores -------------------------------------------------------------------------------------------------------
interface Saved {
  summary: string;
  state: string;
}
/** Per side, car and model: what the previous score saved (as JSON, as the database holds it). */
const saved = sides.map(() => cars.map(() => new Map<string, Saved>()));
/**
 * Wall ms per model and score (process.cpuUsage measured ~0.5 ms per call here, more than a model costs): on a loaded
 * machine the median leaves out most waits for a core, the mean does not.
 */
const msPerModel = sides.map(() => new Map<string, number[]>());

function score(sideIndex: number, carIndex: number, now: number, record: boolean): string[] {
  const { lib } = sides[sideIndex]!;
  const car = cars[carIndex]!;
  const models = modelsOf(lib);
  const priors = models.map((model) => saved[sideIndex]![carIndex]!.get(model.component));
  const summaries = priors.map((prior) => (prior === undefined ? null : (JSON.parse(prior.summary) as SavedSummary<unknown>)));
  // As the worker reads (summary-reuse.policy.ts): the telemetry after the oldest closedUntil, the device tyre
  // readings after the oldest tyre watermark, the same for every model.
  let readAfter = Infinity;
  let tiresFrom = Infinity;
  for (const [i, model] of models.entries()) {
    const summary = summaries[i]!;
    readAfter = Math.min(readAfter, summary?.closedUntilMs ?? -Infinity);
    if (model.tireReadings !== undefined)
      tiresFrom = Math.min(tiresFrom, summary === null ? -Infinity : (model.tireReadings.foldedUntilMs(summary.summary) ?? -Infinity));
  }
  const from = Math.max(readAfter, lib.summaryHorizonMs(new Date(now)) - lib.READ_BEFORE_HORIZON_MS - 1);
  const samples = car.samples.slice(firstAfter(car.samples, from, tsOf), firstAfter(car.samples, now, tsOf));
  const context = contextAt(lib, car, now, Math.max(lib.tireReadingHorizonMs(new Date(now)), tiresFrom));
  const out: string[] = [];
  for (const [i, model] of models.entries()) {
    const prior = priors[i];
    const state = prior === undefined ? undefined : (JSON.parse(prior.state) as unknown);
    const t0 = performance.now();
    const result = lib.assessIncrementally(model, summaries[i]!, samples, context, state, new Date(now), { savedIsDisposable: true });
    if (record) msPerModel[sideIndex]!.set(model.component, [...(msPerModel[sideIndex]!.get(model.component) ?? []), performance.now() - t0]);
    saved[sideIndex]![carIndex]!.set(model.component, {
      summary: result.summaryChanged || prior === undefined ? JSON.stringify(result.saved) : prior.summary,
      state: JSON.stringify(result.state),
    });
    out.push(JSON.stringify(result.assessment));
  }
  return out;
}

/** A measured score (its own name, so a CPU profile can be read from here down, without the first full scores). */
const scoreRound = (sideIndex: number, carIndex: number, now: number): string[] => score(sideIndex, carIndex, now, true);
for (const [s] of sides.entries()) for (const [c] of cars.entries()) score(s, c, firstScoreMs, false);
console.log(
  `models bench: ${vehicleCount} cars x ${days} days (${Math.round(cars.reduce((n, c) => n + c.samples.length, 0) / vehicleCount)} buckets each, ` +
    `generated in ${((Date.now() - generated) / 1000).toFixed(1)} s), ${scores} scores of ${cadenceMs / 1000} s each; sides: ${sides.map((s) => s.name).join(', ')}; load ${load()}`,
);
let differences = 0;
for (let k = 1; k <= scores; k++) {
  const now = firstScoreMs + k * cadenceMs;
  for (const [c] of cars.entries()) {
    // Sides alternate which goes first, so neither always runs on the warmer cache.
    const order = k % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => i).reverse();
    const answers = new Map<number, string[]>();
    for (const s of order) answers.set(s, scoreRound(s, c, now));
    if (sides.length > 1 && JSON.stringify(answers.get(0)) !== JSON.stringify(answers.get(1))) {
      differences++;
      const [a, b] = [answers.get(0)!, answers.get(1)!];
      const at = a.findIndex((x, i) => x !== b[i]);
      console.error(`car ${c} score ${k}: answers differ\n current: ${a[at]}\n compare: ${b[at]}`);
      if (differences >= 3) process.exit(1);
    }
  }
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const pct = (xs: readonly number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;
const report = sides.map((side, s) => {
  const perModel = Object.fromEntries(
    [...msPerModel[s]!].map(([component, wall]) => [component, { p50Ms: Number(pct(wall, 0.5).toFixed(3)), meanMs: Number(mean(wall).toFixed(3)) }]),
  );
  const sum = (f: (m: { p50Ms: number; meanMs: number }) => number): number =>
    Number(
      Object.values(perModel)
        .reduce((total, m) => total + f(m), 0)
        .toFixed(3),
    );
  const totals = { p50Ms: sum((m) => m.p50Ms), meanMs: sum((m) => m.meanMs) };
  console.log(
    `${side.name} (ms per score, p50 / mean): ${Object.entries(perModel)
      .map(([c, m]) => `${c} ${m.p50Ms} / ${m.meanMs}`)
      .join(', ')}; all models ${totals.p50Ms} / ${totals.meanMs}; load ${load()}`,
  );
  return { side: side.name, perModel, totals };
});
if (differences > 0) process.exit(1);
console.log(JSON.stringify({ vehicles: vehicleCount, days, scores, cadenceMs, sides: report, identical: sides.length > 1, loadavg: os.loadavg() }));
