// Reads the figures the charts need out of stored predictions. Evidence is JSON written by the models
// (libs/maintenance) and its keys may grow or change with a model version, so every read here checks
// what it finds and yields nothing rather than failing the whole chart answer.
import type { Prisma } from '#app/database';
import { RISKS, type Risk } from '#app/maintenance';
import type { DaySeries, VehicleChartsView } from './charts.schema.js';

const DAY_MS = 86_400_000;
type Json = Prisma.JsonValue;
type JsonObject = Record<string, Json | undefined>;

function objectOf(value: Json | undefined): JsonObject | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : null;
}

function numberOf(value: Json | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface EvidenceAt {
  scoredAt: Date;
  evidence: Json;
}

/**
 * One value per day from a daily array in the evidence (e.g. `daily[].restingV`), over several scores:
 * each score covers the window the model read, so a later score's figure for a day wins over an earlier one.
 */
export function dailyFromEvidence(
  scores: readonly EvidenceAt[],
  arrayKey: string,
  valueKey: string,
  window: { fromDay: string; toDay: string },
  unit: string,
  scale = 1,
): DaySeries {
  const byDay = new Map<string, number>();
  for (const score of [...scores].sort((a, b) => a.scoredAt.getTime() - b.scoredAt.getTime())) {
    const entries = objectOf(score.evidence)?.[arrayKey];
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const item = objectOf(entry);
      const day = item?.day;
      const value = numberOf(item?.[valueKey]);
      if (typeof day !== 'string' || !DAY.test(day) || value === null) continue;
      if (day < window.fromDay || day > window.toDay) continue;
      byDay.set(day, Math.round(value * scale * 1000) / 1000);
    }
  }
  return { unit, points: [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b)) };
}

type CoolantForecast = VehicleChartsView['coolant']['forecast'];

/** The cooling model's baseline, danger line and forecast (days from its score) as dates. */
export function coolantFromEvidence(
  prediction: { scoredAt: Date; evidence: Json; confidence: Json } | undefined,
  defaultDangerC: number,
): { baselineC: number | null; dangerC: number; forecast: CoolantForecast } {
  const evidence = objectOf(prediction?.evidence);
  const baselineC = numberOf(objectOf(evidence?.baseline)?.medianC);
  const dangerC = numberOf(evidence?.dangerC) ?? defaultDangerC;
  const eta = objectOf(evidence?.forecastDaysToDanger);
  const expected = numberOf(eta?.eta);
  const low = numberOf(eta?.low);
  const high = numberOf(eta?.high);
  if (prediction === undefined || expected === null || low === null || high === null) return { baselineC, dangerC, forecast: null };
  const confidence = objectOf(prediction.confidence);
  const level = confidence?.kind === 'interval' && confidence.unit === 'days' ? numberOf(confidence.level) : null;
  const at = (days: number): string => new Date(prediction.scoredAt.getTime() + days * DAY_MS).toISOString();
  return { baselineC, dangerC, forecast: { expectedAt: at(expected), earliestAt: at(low), latestAt: at(high), level } };
}

/**
 * The straight line of the tyre model's forecast for one wheel, [km, mm], from the current odometer to
 * where it reaches each limit: the wear rate is the one implied by the two distances it reports.
 */
export function treadProjection(
  tiresEvidence: Json | undefined,
  position: string,
  limitsMm: { recommended: number; legal: number },
): [number, number][] | null {
  const evidence = objectOf(tiresEvidence);
  const currentKm = numberOf(evidence?.currentOdometerKm);
  const wheel = objectOf(objectOf(evidence?.wheels)?.[position]);
  const kmTo3 = numberOf(wheel?.kmTo3mm);
  const kmTo16 = numberOf(wheel?.kmTo1_6mm);
  if (currentKm === null || kmTo3 === null || kmTo16 === null || kmTo16 <= kmTo3) return null;
  const mmPerKm = (limitsMm.recommended - limitsMm.legal) / (kmTo16 - kmTo3);
  const nowMm = limitsMm.recommended + kmTo3 * mmPerKm;
  return [
    [Math.round(currentKm), round2(nowMm)],
    [Math.round(currentKm + kmTo3), limitsMm.recommended],
    [Math.round(currentKm + kmTo16), limitsMm.legal],
  ];
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** The worst leak finding on a wheel (a finding whose code names a leak), if the tyre model reports one. */
export function leakFinding(findings: Json | undefined, position: string): { code: string; risk: Risk; message: string } | null {
  if (!Array.isArray(findings)) return null;
  let worst: { code: string; risk: Risk; message: string } | null = null;
  for (const entry of findings) {
    const finding = objectOf(entry);
    const code = finding?.code;
    const risk = finding?.risk;
    if (typeof code !== 'string' || !code.includes('LEAK') || finding?.subject !== position) continue;
    if (typeof risk !== 'string' || !isRisk(risk)) continue;
    if (worst === null || RISKS.indexOf(risk) > RISKS.indexOf(worst.risk)) {
      worst = { code, risk, message: typeof finding.message === 'string' ? finding.message : code };
    }
  }
  return worst;
}

function isRisk(value: string): value is Risk {
  return (RISKS as readonly string[]).includes(value);
}

/** The fuel model's current loss against the car's own expectation, with its 90 % interval. */
export function fuelDegradation(evidence: Json | undefined): { pct: number; low90: number; high90: number } | null {
  const degradation = objectOf(objectOf(evidence)?.degradationPct);
  const pct = numberOf(degradation?.value);
  const low90 = numberOf(degradation?.low90);
  const high90 = numberOf(degradation?.high90);
  return pct === null || low90 === null || high90 === null ? null : { pct, low90, high90 };
}
