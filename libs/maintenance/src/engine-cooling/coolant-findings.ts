// Two findings decided from compact summaries rather than raw points: the thermostat (one warm-up
// summary per drive) and episodes above the danger line (one count per day). Both summaries are kept in
// the model's incremental summary (coolant-summary.ts), folded one drive at a time.
import type { EvidenceValue, Finding, Risk } from '../maintenance-model.js';
import { median } from '../stats/descriptive.js';
import { round } from '../common/rounding.js';
import { isoDay, utcDay } from '../common/telemetry-sessions.js';
import { COOLANT_LIMITS, type DriveWarmup } from './coolant-drive-analysis.js';

/** What the thermostat finding reads of a judged drive's warm-up (kept per drive in the summary). */
export type ThermostatDrive = Pick<DriveWarmup, 'startMs' | 'peakAfterCheckC' | 'at6MinC' | 'ambientC' | 'judged'>;

export const THERMOSTAT_SETTINGS = {
  /** A judged drive is cold when it peaks this far below the car's own operating temperature... */
  belowBaselineC: 12,
  /** ...clamped to this band: a stuck-open thermostat plateaus at 60-76 C, a healthy one regulates at 85-100 C. */
  coldBelowBandC: [75, 80] as const,
  /** Consecutive cold drives for SOON against the car's own temperature, and against the prior alone (lower confidence). */
  soonAfterDrives: 2,
  soonAfterDrivesNoBaseline: 3,
  /**
   * Before the car's baseline is learned (5 days of 20 warm readings), its own judged drives that were warm
   * by any standard (peak >= 80 C) tell its operating temperature: this many are enough.
   */
  minOwnWarmDrives: 3,
  /**
   * What a liquid-cooled engine's thermostat regulates at when nothing is known of the car yet: 90 C (they
   * open at 82-95 C; the simulator draws 90 +- 0.8, the real logs sit at 86-95). Used with lower confidence.
   */
  priorOperatingC: 90,
  /**
   * One cold drive is SOON on its own when it stayed this far below the car's own temperature with a mild
   * ambient (>= mildAmbientC): 12+ minutes with 8+ moving cannot leave a working thermostat 25 C short.
   */
  farBelowC: 25,
  mildAmbientC: 10,
  /** Warm drives before the cold run shown as "before". */
  referenceDrives: 10,
} as const;

export const DANGER_EPISODE_SETTINGS = {
  /** Shorter than this (one 30-second reading) is a spike in the data, not an episode. */
  minDurationS: 10,
  recentDays: 14,
  trendDays: 7,
  soonEpisodes: 3,
  soonDistinctDays: 2,
  watchEpisodes: 2,
} as const;

export interface FindingWithEvidence {
  finding: Finding | null;
  evidence: EvidenceValue;
}

const range = (values: readonly number[]): string => {
  const low = Math.round(Math.min(...values));
  const high = Math.round(Math.max(...values));
  return low === high ? `${low}` : `${low}-${high}`;
};

/**
 * Thermostat stuck open: the trailing run of judged drives (long and fast enough to warm up) whose
 * peak after minute 10 stayed well below what the car should reach (its baseline; before that is
 * learned, its own warm judged drives; before those, the prior for a car of its kind). One cold drive is
 * WATCH, or SOON when it stayed 25 C short of the car's own temperature on a mild day; two in a row are
 * SOON (three against the prior alone). A warm drive ends the run, so a cold morning does not
 * accumulate into a fault. `warmups` may be only the latest
 * judged drives (the summary keeps those that can matter); `judgedCount` is then how many there were.
 */
interface ThermostatReference {
  kind: 'baseline' | 'own-drives' | 'prior';
  c: number;
  confidence: number;
}

/**
 * What the car should reach once warm: its learned baseline; before that, its own judged drives that were
 * warm by any standard; before those, the prior for a car of its kind (lower confidence, one more drive).
 */
function thermostatReference(judged: readonly ThermostatDrive[], baselineC: number | null): ThermostatReference {
  const s = THERMOSTAT_SETTINGS;
  if (baselineC !== null) return { kind: 'baseline', c: baselineC, confidence: 0.9 };
  const ownPeaks = judged.map((w) => w.peakAfterCheckC ?? 0).filter((c) => c >= s.coldBelowBandC[1]);
  if (ownPeaks.length >= s.minOwnWarmDrives) return { kind: 'own-drives', c: median(ownPeaks), confidence: 0.8 };
  return { kind: 'prior', c: s.priorOperatingC, confidence: 0.6 };
}

function referenceText(reference: ThermostatReference, drives: number): string {
  const c = round(reference.c, 1);
  if (reference.kind === 'baseline') return `own baseline ${c} C - ${THERMOSTAT_SETTINGS.belowBaselineC} C`;
  if (reference.kind === 'own-drives')
    return `own warm drives (${drives}, median peak ${c} C; baseline not learned yet) - ${THERMOSTAT_SETTINGS.belowBaselineC} C`;
  return `prior ${c} C for a car of its kind (its own operating temperature is not known yet: lower confidence) - ${THERMOSTAT_SETTINGS.belowBaselineC} C`;
}

export function thermostatFinding(warmups: readonly ThermostatDrive[], baselineC: number | null, judgedCount?: number): FindingWithEvidence {
  const s = THERMOSTAT_SETTINGS;
  const judged = warmups.filter((w) => w.judged).sort((a, b) => a.startMs - b.startMs);
  const reference = thermostatReference(judged, baselineC);
  const ownWarm = judged.filter((w) => (w.peakAfterCheckC ?? 0) >= s.coldBelowBandC[1]).length;
  const coldBelowC = Math.min(s.coldBelowBandC[1], Math.max(s.coldBelowBandC[0], reference.c - s.belowBaselineC));
  const isCold = (w: ThermostatDrive): boolean => (w.peakAfterCheckC ?? Infinity) < coldBelowC;
  let runStart = judged.length;
  while (runStart > 0 && isCold(judged[runStart - 1])) runStart--;
  const cold = judged.slice(runStart);
  const before = judged.slice(0, runStart).slice(-s.referenceDrives);
  const evidence: EvidenceValue = {
    judgedDrives: judgedCount ?? judged.length,
    judgedDriveRule: `>= ${COOLANT_LIMITS.longDriveRunningMs / 60_000} min running, >= ${COOLANT_LIMITS.longDriveMovingMs / 60_000} min moving, ambient >= ${COOLANT_LIMITS.coldAmbientC} C`,
    coldBelowC: round(coldBelowC, 1),
    reference: referenceText(reference, ownWarm),
    referenceKind: reference.kind,
    confidence: reference.confidence,
    consecutiveColdDrives: cold.length,
    coldDrivePeaksC: cold.map((w) => round(w.peakAfterCheckC ?? 0, 1)),
  };
  if (cold.length === 0) return { finding: null, evidence };
  const needed = reference.kind === 'prior' ? s.soonAfterDrivesNoBaseline : s.soonAfterDrives;
  const farBelow = (w: ThermostatDrive): boolean =>
    reference.kind !== 'prior' && w.ambientC !== null && w.ambientC >= s.mildAmbientC && (w.peakAfterCheckC ?? Infinity) <= reference.c - s.farBelowC;
  const risk: Risk = cold.length >= needed || cold.every(farBelow) ? 'SOON' : 'WATCH';
  const peaks = cold.map((w) => w.peakAfterCheckC ?? 0);
  const ambients = cold.map((w) => w.ambientC).filter((a) => a !== null);
  const beforePeaks = before.map((w) => w.peakAfterCheckC ?? 0);
  const against =
    beforePeaks.length > 0
      ? `, against ${range(beforePeaks)} C before`
      : reference.kind === 'prior'
        ? `, against the ${Math.round(reference.c)} C a car of its kind reaches (its own temperature is not known yet)`
        : `, against its usual ${Math.round(reference.c)} C`;
  const outside = ambients.length > 0 ? ` with ${range(ambients)} C outside` : '';
  const coldAt6 = cold.map((w) => w.at6MinC).filter((c) => c !== null);
  const beforeAt6 = before.map((w) => w.at6MinC).filter((c) => c !== null);
  const warmup =
    coldAt6.length > 0 && beforeAt6.length > 0
      ? ` Six minutes into a drive it reached ${Math.round(median(coldAt6))} C, against ${Math.round(median(beforeAt6))} C before.`
      : '';
  const drives = cold.length === 1 ? 'the last drive' : `the last ${cold.length} drives`;
  return {
    finding: {
      code: 'THERMOSTAT_STUCK_OPEN',
      subject: 'thermostat',
      risk,
      message:
        `The engine stayed at ${range(peaks)} C on ${drives} of ${COOLANT_LIMITS.longDriveRunningMs / 60_000}+ minutes${outside}${against}.${warmup} ` +
        'The thermostat is probably stuck open: fuel use and engine wear go up and the heater works poorly. Have it replaced.',
      params: {
        coldDrives: cold.length,
        judgedDrives: judgedCount ?? judged.length,
        maxC: round(Math.max(...peaks), 1),
        minC: round(Math.min(...peaks), 1),
        coldBelowC: round(coldBelowC, 1),
        referenceKind: reference.kind,
        confidence: reference.confidence,
        ...(beforePeaks.length > 0 ? { beforeMinC: round(Math.min(...beforePeaks), 1), beforeMaxC: round(Math.max(...beforePeaks), 1) } : {}),
      },
    },
    evidence,
  };
}

/** One day's episodes above the danger line and its driving time: the per-day summary the finding reduces. */
export interface DangerDay {
  day: number;
  episodes: number;
  peakC: number | null;
  drivingHours: number;
}

/**
 * Episodes above 105 C: three in the last 14 days on two different days, or two on two days in the last
 * week when the rate per driving hour rose against the weeks before, are SOON (the cooling system is
 * losing its margin before it runs hot for good); two are WATCH; a single spike on a hot day stays OK.
 */
export function dangerEpisodeFinding(days: readonly DangerDay[], now: Date): FindingWithEvidence {
  const s = DANGER_EPISODE_SETTINGS;
  const today = utcDay(now.getTime() - 1);
  const within = (n: number) => days.filter((d) => d.day > today - n);
  const recent = within(s.recentDays).filter((d) => d.episodes > 0);
  const lastWeek = within(s.trendDays);
  const earlier = days.filter((d) => d.day <= today - s.trendDays);
  const rate = (list: readonly DangerDay[]): number | null => {
    const hours = list.reduce((a, d) => a + d.drivingHours, 0);
    return hours > 0 ? list.reduce((a, d) => a + d.episodes, 0) / hours : null;
  };
  const recentRate = rate(lastWeek);
  const earlierRate = rate(earlier);
  const episodes = recentEpisodes(recent);
  const weekEpisodes = recentEpisodes(lastWeek);
  const weekDays = lastWeek.filter((d) => d.episodes > 0).length;
  const rising = recentRate !== null && recentRate > (earlierRate ?? 0);
  const evidence: EvidenceValue = {
    lineC: COOLANT_LIMITS.dangerC,
    perDay: days
      .filter((d) => d.episodes > 0)
      .map((d) => ({ day: isoDay(d.day), episodes: d.episodes, peakC: d.peakC === null ? null : round(d.peakC, 1) })),
    last14Days: episodes,
    ratePerDrivingHourLast7Days: recentRate === null ? null : round(recentRate, 3),
    ratePerDrivingHourBefore: earlierRate === null ? null : round(earlierRate, 3),
  };
  let risk: Risk = 'OK';
  if (
    (episodes >= s.soonEpisodes && recent.length >= s.soonDistinctDays) ||
    (weekEpisodes >= s.watchEpisodes && weekDays >= s.soonDistinctDays && rising)
  )
    risk = 'SOON';
  else if (episodes >= s.watchEpisodes) risk = 'WATCH';
  if (risk === 'OK') return { finding: null, evidence };
  const peak = Math.max(...recent.map((d) => d.peakC ?? 0));
  const trend =
    recentRate !== null && rising
      ? ` The rate is rising: ${round(recentRate, 2)} per driving hour in the last week, against ${round(earlierRate ?? 0, 2)} before.`
      : '';
  return {
    finding: {
      code: 'COOLANT_DANGER_EPISODES',
      subject: '',
      risk,
      message:
        `Your engine went above ${COOLANT_LIMITS.dangerC} C ${episodes} times on ${recent.length} day(s) in the last ${s.recentDays} days (up to ${round(peak, 1)} C).${trend} ` +
        'The cooling system is losing its margin: have the coolant level, fan and radiator checked before it overheats.',
      params: { episodes, days: recent.length, peakC: round(peak, 1), ...(recentRate === null ? {} : { ratePerDrivingHour: round(recentRate, 3) }) },
    },
    evidence,
  };
}

function recentEpisodes(days: readonly DangerDay[]): number {
  return days.reduce((a, d) => a + d.episodes, 0);
}

/** One drive's warmed-up operating temperature (the median of its warm, moving readings). */
export interface WarmDrive {
  /** UTC day number the drive started on. */
  day: number;
  medianC: number;
  readings: number;
}

export const STEP_SETTINGS = {
  /** A drive is above when its warm median passes the drives before it by this much at least... */
  minStepC: 5,
  /** ...and by this many times the car's own drive-to-drive spread (robust: 1.4826 x MAD). */
  spreadFactor: 4,
  /** Spread floor: a healthy car's drive medians differ by ~0.5 C even on a clean sensor. */
  minSpreadC: 0.5,
  /** The latest drives the finding reads: a run and the 20 drives before it, with room for a run of a few days. */
  drivesRead: 48,
  /** "Before": the median of the 10 drives before the run; the spread from the 20 before it. */
  referenceDrives: 10,
  spreadDrives: 20,
  minReferenceDrives: 5,
  /** Before the run the engine must have been warm by any standard (not a stuck-open thermostat). */
  minReferenceC: 80,
  /** Drives above in a row for SOON; fewer are WATCH (one hot drive is a climb or a heat wave)... */
  soonAfterDrives: 3,
  /** ...or two, when both stand this many margins above (a step of 7.5 C or more on a steady car). */
  soonAfterTwoDrivesMargins: 1.5,
} as const;

interface StepRun {
  run: readonly WarmDrive[];
  beforeC: number;
  spreadC: number;
  marginC: number;
  /** The run's lowest drive median. */
  lowestC: number;
}

/** The longest trailing run of drives clearly above the drives before it (and above the baseline when there is one). */
function trailingStep(allDrives: readonly WarmDrive[], baselineC: number | null): StepRun | null {
  const s = STEP_SETTINGS;
  const drives = allDrives.slice(-s.drivesRead);
  for (let k = drives.length - s.minReferenceDrives; k >= 1; k--) {
    const run = drives.slice(drives.length - k);
    const earlier = drives.slice(0, drives.length - k);
    const beforeC = median(earlier.slice(-s.referenceDrives).map((d) => d.medianC));
    if (beforeC < s.minReferenceC) continue;
    const lowest = Math.min(...run.map((d) => d.medianC));
    // The margin is minStepC at least: a run not that far above is not above the margin either, and the spread's two
    // medians are not needed (on most cars no run is: this loop of up to 43 runs was most of the cooling decision).
    if (lowest < beforeC + s.minStepC) continue;
    const spreadValues = earlier.slice(-s.spreadDrives).map((d) => d.medianC);
    const spreadMedian = median(spreadValues);
    const spreadC = Math.max(s.minSpreadC, 1.4826 * median(spreadValues.map((v) => Math.abs(v - spreadMedian))));
    const marginC = Math.max(s.minStepC, s.spreadFactor * spreadC);
    if (lowest < beforeC + marginC) continue;
    if (baselineC !== null && median(run.map((d) => d.medianC)) < baselineC + marginC) continue;
    return { run, beforeC, spreadC, marginC, lowestC: lowest };
  }
  return null;
}

/**
 * A sudden step up in the warmed-up temperature (a failing water pump, a blocked radiator, a thermostat
 * stuck partly closed), decided per drive: the last drives' warm medians stand clearly above the drives
 * before them, by more than the car's own drive-to-drive spread. Three drives in a row are SOON, or two
 * when both stand 1.5 margins clear (7.5 C on a steady car: a low-mileage car may make only one or two
 * warm drives in its first three driving days after the step); one is WATCH. A gradual drift never makes a run (each drive is close to the one before it): that is
 * the drift finding's job.
 */
export function stepFinding(drives: readonly WarmDrive[], baselineC: number | null): FindingWithEvidence {
  const s = STEP_SETTINGS;
  const step = trailingStep(drives, baselineC);
  const evidence: EvidenceValue = {
    warmDrives: drives.length,
    rule: `each drive's warm median >= ${s.minStepC} C and >= ${s.spreadFactor}x the drive-to-drive spread above the ${s.referenceDrives} drives before; ${s.soonAfterDrives} in a row (or 2 at ${s.soonAfterTwoDrivesMargins}x the margin) SOON`,
    drivesAbove: step?.run.length ?? 0,
    ...(step === null
      ? {}
      : {
          runMedianC: round(median(step.run.map((d) => d.medianC)), 1),
          beforeMedianC: round(step.beforeC, 1),
          spreadC: round(step.spreadC, 2),
          marginC: round(step.marginC, 1),
          since: isoDay(step.run[0].day),
        }),
  };
  if (step === null) return { finding: null, evidence };
  const runC = median(step.run.map((d) => d.medianC));
  const clear = step.run.length >= 2 && step.lowestC - step.beforeC >= s.soonAfterTwoDrivesMargins * step.marginC;
  const risk: Risk = step.run.length >= s.soonAfterDrives || clear ? 'SOON' : 'WATCH';
  const drivesText = step.run.length === 1 ? 'the last drive' : `the last ${step.run.length} drives`;
  const readings = step.run.reduce((a, d) => a + d.readings, 0);
  return {
    finding: {
      code: 'COOLANT_STEP',
      subject: '',
      risk,
      message:
        `Warm coolant ${Math.round(runC)} C on ${drivesText} against ${Math.round(step.beforeC)} C before ` +
        `(its drives usually differ by about ${round(step.spreadC, 1)} C): the operating temperature jumped. ` +
        'Have the cooling system checked (coolant level, water pump, radiator, fan, thermostat) before it overheats.',
      params: {
        drives: step.run.length,
        currentC: round(runC, 1),
        beforeC: round(step.beforeC, 1),
        stepC: round(runC - step.beforeC, 1),
        spreadC: round(step.spreadC, 2),
        warmReadings: readings,
      },
    },
    evidence,
  };
}
