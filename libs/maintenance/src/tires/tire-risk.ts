// Thresholds that turn measurements and forecasts into risks, and the owner-facing words for them.
import type { Risk, WheelPosition } from '../maintenance-model.js';
import type { PressureTrend, WheelPressure } from './pressure-analysis.js';
import { MIN_SAFE_PRESSURE_KPA } from './pressure-analysis.js';
import { maxRisk } from '../common/risk-scale.js';
import { round } from '../common/rounding.js';
import { TREAD_LIMITS_MM, type WheelWear } from './tread-wear.js';
import { axlePartner } from './tire-positions.js';
import { pressureLossIssueParts, type PressureLossCheck } from './pressure-loss.js';

export const WHEEL_NAMES: Record<WheelPosition, string> = {
  FL: 'Front left',
  FR: 'Front right',
  RL: 'Rear left',
  RR: 'Rear right',
};

export interface TireIssue {
  code: string;
  risk: Risk;
  message: string;
  params: Record<string, string | number>;
}

export interface TreadForecast {
  kmTo3: { expectedKm: number; earliestKm: number; latestKm: number };
  kmTo16: { expectedKm: number; earliestKm: number; latestKm: number };
  /** Days from now, when the vehicle's daily distance is known. */
  daysTo3?: { expectedDays: number; earliestDays: number; latestDays: number };
  daysTo16?: { expectedDays: number; earliestDays: number; latestDays: number };
  dueAt?: Date;
  dueOdometerKm?: number;
}

export function treadIssue(w: WheelPosition, wear: WheelWear, forecast: TreadForecast | undefined): TireIssue {
  const measured = wear.latestTreadMm;
  const name = WHEEL_NAMES[w];
  const params: Record<string, string | number> = { wheel: w, treadMm: round(measured, 1) };
  let risk: Risk = 'OK';
  // Measured limits are hard facts: they apply with or without a forecast.
  if (measured < TREAD_LIMITS_MM.legal) risk = 'CRITICAL';
  else if (measured <= 2.0) risk = 'URGENT';
  else if (measured <= TREAD_LIMITS_MM.recommended) risk = 'SOON';
  else if (measured <= 4.0) risk = 'WATCH';
  if (wear.fit !== null && forecast !== undefined) {
    params.wearMmPer1000Km = round(wear.fit.rateMmPer1000Km, 3);
    if (wear.fit.since !== undefined) {
      params.wearSpedUpAtKm = Math.round(wear.fit.since.odometerKm);
      params.earlierWearMmPer1000Km = round(wear.fit.since.earlierRateMmPer1000Km, 3);
    }
    params.kmTo3mm = Math.round(forecast.kmTo3.expectedKm);
    params.kmTo1_6mm = Math.round(forecast.kmTo16.expectedKm);
    const d3 = forecast.daysTo3?.expectedDays;
    const d16 = forecast.daysTo16?.expectedDays;
    if (d3 !== undefined) params.daysTo3mm = Math.round(d3);
    if (forecast.dueAt !== undefined) params.dueDate = forecast.dueAt.toISOString().slice(0, 10);
    if (forecast.dueOdometerKm !== undefined) params.dueOdometerKm = Math.round(forecast.dueOdometerKm);
    const forecastRisk: Risk =
      (d16 !== undefined && d16 <= 14) || (d16 === undefined && forecast.kmTo16.expectedKm <= 500)
        ? 'URGENT'
        : (d3 !== undefined && d3 <= 30) || forecast.kmTo3.expectedKm <= 1500
          ? 'SOON'
          : (d3 !== undefined && d3 <= 90) || forecast.kmTo3.expectedKm <= 5000
            ? 'WATCH'
            : 'OK';
    risk = maxRisk(risk, forecastRisk);
  }
  let message: string;
  if (risk === 'CRITICAL') {
    message = `${name} tyre: ${round(measured, 1)} mm of tread, below the 1.6 mm legal minimum. Replace it before driving further.`;
  } else if (wear.fit !== null && forecast !== undefined) {
    const when =
      forecast.daysTo3 !== undefined && forecast.dueAt !== undefined
        ? `in about ${Math.round(forecast.daysTo3.expectedDays)} days (${Math.round(forecast.daysTo3.earliestDays)}-${Math.round(forecast.daysTo3.latestDays)}), around ${forecast.dueAt.toISOString().slice(0, 10)}`
        : `in about ${Math.round(forecast.kmTo3.expectedKm).toLocaleString('en-GB')} km`;
    message =
      measured <= TREAD_LIMITS_MM.recommended
        ? `${name} tyre: ${round(measured, 1)} mm of tread, at or below the 3.0 mm we recommend replacing at. Book a replacement.`
        : `${name} tyre: ${round(measured, 1)} mm of tread, wearing ${params.wearMmPer1000Km} mm per 1,000 km${spedUp(wear)}; it reaches 3.0 mm ${when}.`;
  } else {
    message =
      risk === 'OK'
        ? `${name} tyre: ${round(measured, 1)} mm of tread. Not enough readings yet to forecast its wear.`
        : `${name} tyre: ${round(measured, 1)} mm of tread${measured <= TREAD_LIMITS_MM.recommended ? ', at or below the 3.0 mm we recommend replacing at' : ''}. Have it checked.`;
  }
  return { code: 'TIRE_TREAD_WEAR', risk, message, params };
}

export function leakIssue(w: WheelPosition, trend: PressureTrend): TireIssue | undefined {
  const significant = trend.relativeSlopeHigh !== null && trend.relativeSlopeHigh < 0 && trend.ownSlopeKpaPerDay < 0;
  const slope = trend.relativeSlopeKpaPerDay;
  const drop = trend.recentDropKpa ?? 0;
  let risk: Risk = 'OK';
  if ((significant && slope <= -30) || drop <= -70) risk = 'CRITICAL';
  else if ((significant && slope <= -10) || drop <= -40 || (significant && slope <= -2 && (trend.daysToUnsafe ?? Infinity) <= 3)) risk = 'URGENT';
  else if ((significant && slope <= -2) || trend.recentChange?.alarm === true) risk = 'SOON';
  else if (significant && slope <= -1) risk = 'WATCH';
  if (risk === 'OK') return undefined;
  const name = WHEEL_NAMES[w];
  const params: Record<string, string | number> = { wheel: w, lossKpaPerDay: round(-slope, 1), recentDropKpa: round(-drop, 1) };
  if (trend.daysToUnsafe !== null) params.daysToUnsafe = round(trend.daysToUnsafe, 1);
  const change = trend.recentChange;
  if (change?.alarm === true) {
    params.lostAgainstPartnerKpa = round(-change.latestChangeKpa, 1);
    params.changeDays = change.days;
  }
  const partner = WHEEL_NAMES[axlePartner(w)].toLowerCase();
  const byTrend = significant && slope <= -2;
  const message =
    risk === 'CRITICAL'
      ? `${name} tyre is losing air fast (${round(Math.max(-slope, -drop), 1)} kPa). Stop and check it: it may be punctured.`
      : !byTrend && change?.alarm === true
        ? `${name} tyre has lost ${round(-change.latestChangeKpa, 1)} kPa against the ${partner} one over the last ${change.days} days (they usually differ by ${round(change.baselineKpa, 1)} kPa, day to day within ${round(change.scaleKpa, 1)}): likely a slow puncture or a leaking valve. Have it checked.`
        : `${name} tyre is slowly losing air, about ${round(-slope, 1)} kPa a day more than the other tyre on its axle: likely a slow puncture or a leaking valve. Have it checked${trend.daysToUnsafe !== null ? ` within ${Math.max(1, Math.floor(trend.daysToUnsafe))} days` : ''}.`;
  return { code: 'TIRE_SLOW_LEAK', risk, message, params };
}

/** A puncture or fast leak on the newest raw readings (pressure-loss.ts); undefined when not told. */
export function pressureLossIssue(w: WheelPosition, check: PressureLossCheck): TireIssue | undefined {
  const parts = pressureLossIssueParts(w, check);
  if (parts === undefined) return undefined;
  return { code: parts.code, risk: parts.risk, message: `${WHEEL_NAMES[w]} ${parts.text}`, params: parts.params };
}

export function inflationIssue(w: WheelPosition, pressure: WheelPressure): TireIssue | undefined {
  const inf = pressure.inflation;
  if (inf === null) return undefined;
  const deficit = inf.deficitPct ?? 0;
  let risk: Risk = 'OK';
  if (inf.latestKpa < MIN_SAFE_PRESSURE_KPA || deficit >= 30) risk = 'URGENT';
  else if (deficit >= 20 || inf.latestKpa < 160) risk = 'SOON';
  else if (deficit >= 10) risk = 'WATCH';
  if (risk === 'OK') return undefined;
  const params: Record<string, string | number> = { wheel: w, pressureKpa: Math.round(inf.latestKpa) };
  if (inf.referenceKpa !== null) params.referenceKpa = Math.round(inf.referenceKpa);
  if (inf.deficitPct !== null) params.deficitPct = Math.round(deficit);
  const vs = inf.referenceKpa !== null ? `, ${Math.round(deficit)} % below the other tyres (${Math.round(inf.referenceKpa)} kPa)` : '';
  return {
    code: 'TIRE_UNDER_INFLATED',
    risk,
    message: `${WHEEL_NAMES[w]} tyre is under-inflated at ${Math.round(inf.latestKpa)} kPa${vs}. Inflate it to the pressure on the door sticker.`,
    params,
  };
}

export interface UnevenWear {
  faster: WheelPosition;
  slower: WheelPosition;
  rateDiffMmPer1000Km: number | null;
  depthDiffMm: number | null;
  /** Probability (0-1) that the faster tyre really wears faster than its partner. */
  confidence: number;
  /** Tread the faster tyre lost over the compared distance, and how much more than its partner (mm). */
  seenLossMm: number | null;
  seenExcessMm: number | null;
}

export function unevenWearIssue(u: UnevenWear): TireIssue {
  const byRate = u.rateDiffMmPer1000Km ?? 0;
  const byDepth = u.depthDiffMm ?? 0;
  const risk: Risk = byRate >= 0.15 || byDepth >= 2.5 ? 'SOON' : 'WATCH';
  const params: Record<string, string | number> = { wheel: u.faster, partner: u.slower, confidence: round(u.confidence, 2), cause: 'alignment' };
  if (u.rateDiffMmPer1000Km !== null) params.rateDiffMmPer1000Km = round(u.rateDiffMmPer1000Km, 3);
  if (u.depthDiffMm !== null) params.depthDiffMm = round(u.depthDiffMm, 1);
  const partner = WHEEL_NAMES[u.slower].toLowerCase();
  const seen =
    u.seenLossMm !== null && u.seenExcessMm !== null && u.rateDiffMmPer1000Km !== null
      ? ` It lost ${round(u.seenLossMm, 1)} mm, ${round(u.seenExcessMm, 1)} mm more than the ${partner} one (${round(u.rateDiffMmPer1000Km, 2)} mm per 1,000 km faster)`
      : u.depthDiffMm !== null
        ? ` It has ${round(u.depthDiffMm, 1)} mm less tread than the ${partner} one, which started alike`
        : '';
  return {
    code: 'TIRE_UNEVEN_WEAR',
    risk,
    message: `Uneven wear: the ${WHEEL_NAMES[u.faster].toLowerCase()} tyre is wearing faster than the ${partner} one on the same axle.${seen}; ${Math.round(u.confidence * 100)} % sure. The likely cause is the wheel alignment: ask for an alignment check.`,
    params,
  };
}

// Which issue names the finding when two share the top risk: the one that needs action soonest.
const PRIORITY = ['TIRE_PRESSURE_LOSS', 'TIRE_SLOW_LEAK', 'TIRE_TREAD_WEAR', 'TIRE_UNDER_INFLATED', 'TIRE_UNEVEN_WEAR'];

/** One finding per wheel: the worst issue names it, the others are appended and their params merged. */
export function combineIssues(w: WheelPosition, issues: readonly TireIssue[]): TireIssue {
  const risk = maxRisk(...issues.map((i) => i.risk));
  const ordered = [...issues].sort((a, b) => PRIORITY.indexOf(a.code) - PRIORITY.indexOf(b.code));
  const lead = ordered.find((i) => i.risk === risk) ?? ordered[0];
  const rest = ordered.filter((i) => i !== lead && i.risk !== 'OK');
  const params: Record<string, string | number> = { wheel: w };
  for (const i of [lead, ...ordered.filter((x) => x !== lead)]) {
    for (const [k, v] of Object.entries(i.params)) if (!(k in params)) params[k] = v;
  }
  params.issues = [lead, ...rest].map((i) => i.code).join(',');
  return { code: lead.code, risk, message: [lead.message, ...rest.map((i) => i.message)].join(' '), params };
}

/** Said when the forecast rests on the readings since wear sped up, so the owner sees why it moved closer. */
function spedUp(wear: WheelWear): string {
  const since = wear.fit?.since;
  if (since === undefined) return '';
  return ` (up from ${String(round(since.earlierRateMmPer1000Km, 3))} before ${Math.round(since.odometerKm).toLocaleString('en-GB')} km)`;
}
