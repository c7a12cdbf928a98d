import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENTS, RISKS, type ComponentName, type MaintenanceModel, type Risk } from '#app/maintenance';
import { DEFAULT_CONTRACT_LIMITS, normalizeObdSamples, parseCarObdCsv, parseCephasaxCsv, type TelemetrySample } from '#app/telemetry';
import { withUnitSuffixes } from './unit-suffixed-log.js';
import { alertEpisodes } from '../metrics/detection.metrics.js';
import { evaluationModels } from '../replay/evaluation-models.js';
import { HistoryWindow } from '../replay/history-window.js';
import { bucketTelemetry } from '../replay/telemetry-buckets.js';
import { DAY_MS, MODEL_PROFILE } from '../replay/vehicle-replay.js';

/** carOBD's five files are one Toyota Etios: replayed as one car, one file per day in this order. */
export const CAR_OBD_FILES = ['live1', 'drive1', 'ufpe3', 'long10', 'idle1'] as const;
const FIRST_DAY = new Date('2026-03-02T00:00:00Z');
const DRIVE_STARTS_AT_HOUR = 8;
const SOON = RISKS.indexOf('SOON');

export interface RealCarResult {
  car: string;
  days: number;
  samples: number;
  /** SOON-or-worse episodes per component, with the findings raised at their onset. */
  flags: { component: ComponentName; day: number; findings: string[] }[];
  /** Highest risk each component reached (WATCH included), to show what came close. */
  worstRisk: Partial<Record<ComponentName, Risk>>;
}

export interface RealLogResult {
  cars: RealCarResult[];
  flags: number;
  /** Samples the ingestion normaliser refused (a real log should have none). */
  refused: number;
  /** The 4-driver log rewritten with units in every cell: read identically, and its SOON-or-worse episodes. */
  unitSuffixed: { cars: number; samples: number; identical: boolean; flags: number };
}

/** carOBD's car is a 1.5 l Toyota Etios: the speed-density fuel estimate needs the displacement. */
const ETIOS_DISPLACEMENT_L = 1.5;

/** The real logs through the ingestion normaliser (normalizeObdSamples), counting what it refuses. */
export function normalizeLogSamples(
  samples: readonly TelemetrySample[],
  engineDisplacementL?: number,
): { samples: TelemetrySample[]; refused: number } {
  // The logs are years old: their replayed time is the receive time, so the clock limits do not apply.
  const limits = { ...DEFAULT_CONTRACT_LIMITS, maxAgeMs: Number.MAX_SAFE_INTEGER };
  const { samples: accepted, refusals } = normalizeObdSamples(samples, (ts) => ts.getTime(), limits, engineDisplacementL);
  return { samples: accepted, refused: refusals.length };
}

/** Replays the real (healthy) OBD-II logs through every model as the worker would score them. */
export function replayRealLogs(obdDir: string): RealLogResult {
  let odometerKm = 0;
  let refused = 0;
  const etiosDays = CAR_OBD_FILES.map((name, day) => {
    const parsed = parseCarObdCsv(readFileSync(join(obdDir, 'carOBD', `${name}.csv`), 'utf8'), {
      startTs: driveStart(day),
      startOdometerKm: odometerKm,
    });
    const normalized = normalizeLogSamples(parsed, ETIOS_DISPLACEMENT_L);
    refused += normalized.refused;
    odometerKm = parsed.at(-1)?.odometerKm ?? odometerKm;
    return normalized.samples;
  });
  const cars = [replayCar('carOBD Toyota Etios (5 logs, 5 days)', etiosDays)];
  const driversFile = readFileSync(join(obdDir, 'cephasax', '4drivers.csv'));
  const drivers = parseCephasaxCsv(driversFile, { startTs: driveStart(0) });
  for (const [id, parsed] of [...drivers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const normalized = normalizeLogSamples(parsed);
    refused += normalized.refused;
    cars.push(replayCar(`cephasax ${id}`, [normalized.samples]));
  }
  const unitSuffixed = replayUnitSuffixed(driversFile.toString('latin1'), drivers);
  // The unit-suffixed copies are healthy cars too: their flags count against the same goal of 0.
  return { cars, flags: cars.reduce((n, c) => n + c.flags.length, 0) + unitSuffixed.flags, refused, unitSuffixed };
}

function replayUnitSuffixed(plainText: string, plain: Map<string, TelemetrySample[]>): RealLogResult['unitSuffixed'] {
  const suffixed = parseCephasaxCsv(Buffer.from(withUnitSuffixes(plainText), 'latin1'), { startTs: driveStart(0) });
  const identical = suffixed.size === plain.size && [...plain].every(([id, samples]) => JSON.stringify(suffixed.get(id)) === JSON.stringify(samples));
  let flags = 0;
  let samples = 0;
  for (const [id, parsed] of suffixed) {
    const normalized = normalizeLogSamples(parsed).samples;
    samples += normalized.length;
    flags += replayCar(`cephasax ${id} (units in cells)`, [normalized]).flags.length;
  }
  return { cars: suffixed.size, samples, identical, flags };
}

const driveStart = (day: number): Date => new Date(FIRST_DAY.getTime() + day * DAY_MS + DRIVE_STARTS_AT_HOUR * 3_600_000);

/** Scores at the end of each day (a log can run past midnight: the day ends after its last sample). */
export function replayCar(car: string, days: readonly TelemetrySample[][], models: MaintenanceModel[] = evaluationModels()): RealCarResult {
  const window = new HistoryWindow(MODEL_PROFILE);
  const states = new Map<ComponentName, unknown>();
  const raised = new Map<ComponentName, boolean[]>(COMPONENTS.map((c) => [c, []]));
  const findings = new Map<ComponentName, string[][]>(COMPONENTS.map((c) => [c, []]));
  const worstRisk: Partial<Record<ComponentName, Risk>> = {};
  let lastEndMs = 0;
  for (const [day, samples] of days.entries()) {
    window.append(bucketTelemetry(samples), []);
    const lastTs = samples.at(-1)?.ts.getTime() ?? driveStart(day).getTime();
    const endMs = Math.max(lastEndMs + DAY_MS, Math.ceil((lastTs + 1) / DAY_MS) * DAY_MS);
    lastEndMs = endMs;
    const now = new Date(endMs);
    const history = window.at(now);
    for (const model of models) {
      const { assessment, state } = model.assess(history, states.get(model.component), now);
      states.set(model.component, state);
      const rank = RISKS.indexOf(assessment.risk);
      if (rank > RISKS.indexOf(worstRisk[model.component] ?? 'OK')) worstRisk[model.component] = assessment.risk;
      raised.get(model.component)?.push(rank >= SOON);
      findings.get(model.component)?.push(assessment.findings.filter((f) => RISKS.indexOf(f.risk) >= SOON).map((f) => `${f.code}:${f.subject}`));
    }
  }
  const flags = COMPONENTS.flatMap((component) =>
    alertEpisodes(raised.get(component) ?? []).map((e) => ({ component, day: e.startDay, findings: findings.get(component)?.[e.startDay] ?? [] })),
  );
  return { car, days: days.length, samples: days.reduce((n, d) => n + d.length, 0), flags, worstRisk };
}
