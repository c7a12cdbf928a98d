// Per-drive facts from the coolant signal: when the engine finished warming up, the warmed-up readings
// worth learning from, overheating episodes, and drives that never got warm.
//
// Why warm-up is cut by "the coolant stopped rising" rather than a fixed temperature: a fixed 80 C cut
// would hide the very fault we look for (a thermostat stuck open plateaus at 65-75 C) and would cut
// differently on a hot restart. The plateau test finds each drive's own steady state.
import type { TelemetryPoint } from '../maintenance-model.js';
import type { DriveSession } from '../common/telemetry-sessions.js';

export const COOLANT_LIMITS = {
  /** Minimum time after start before a drive can count as warmed up. */
  minWarmupMs: 180_000,
  /** The plateau test: no more than this rise over the window. */
  plateauWindowMs: 120_000,
  plateauRiseC: 1.0,
  /** Idle and crawling readings are excluded: with no airflow the coolant swings between fan cycles. */
  minMovingKph: 15,
  minRunningRpm: 1100,
  overheatC: 110,
  criticalC: 115,
  criticalSustainMs: 120_000,
  /** Readings further apart than this do not make one continuous episode. */
  episodeMaxGapMs: 60_000,
  /** A drive this long (moving) should have reached operating temperature... */
  longDriveMovingMs: 15 * 60_000,
  /** ...after this much time... */
  thermostatCheckAfterMs: 10 * 60_000,
  /** ...and a healthy thermostat holds the coolant above this. */
  operatingMinC: 75,
  /** Below this ambient temperature slow warm-up is normal: such drives are not judged. */
  coldAmbientC: -10,
  coldStartBelowC: 45,
  warmC: 70,
} as const;

export interface OverheatEpisode {
  startMs: number;
  durationS: number;
  peakC: number;
  /** Longest continuous stretch above the critical temperature. */
  criticalS: number;
}

export interface DriveCoolantFacts {
  /** Warmed-up, moving readings: [ts ms, coolant C]. */
  warmReadings: [number, number][];
  episodes: OverheatEpisode[];
  /** Minutes from a cold start to the warm temperature, when this was a cold start that got there. */
  warmupMinutes: number | null;
  /** Whether the drive was long enough to judge the thermostat, and if so whether it stayed cold. */
  thermostatCheck: 'not-judged' | 'warm' | 'stayed-cold';
  maxAfterCheckC: number | null;
}

function isMoving(p: TelemetryPoint): boolean {
  if (p.speedKph !== undefined) return p.speedKph >= COOLANT_LIMITS.minMovingKph;
  return p.rpm !== undefined && p.rpm >= COOLANT_LIMITS.minRunningRpm;
}

export function analyseDrive(drive: DriveSession): DriveCoolantFacts {
  const points = drive.samples.filter((p): p is TelemetryPoint & { coolantTempC: number } => p.coolantTempC !== undefined);
  const warmReadings: [number, number][] = [];
  const episodes: OverheatEpisode[] = [];
  if (points.length === 0) {
    return { warmReadings, episodes, warmupMinutes: null, thermostatCheck: 'not-judged', maxAfterCheckC: null };
  }
  const start = drive.startMs;
  const firstC = points[0].coolantTempC;
  let warmedUp = false;
  let windowStart = 0;
  let warmupMinutes: number | null = null;
  let movingMs = 0;
  let maxAfterCheck = -Infinity;
  const ambients: number[] = [];
  let episode: OverheatEpisode | null = null;
  let criticalSince: number | null = null;
  let previousT = start;

  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    const t = p.ts.getTime();
    const c = p.coolantTempC;
    const step = Math.min(t - previousT, 60_000);
    if (i > 0 && isMoving(p)) movingMs += step;
    if (p.ambientTempC !== undefined) ambients.push(p.ambientTempC);
    if (warmupMinutes === null && firstC < COOLANT_LIMITS.coldStartBelowC && c >= COOLANT_LIMITS.warmC) {
      warmupMinutes = (t - start) / 60_000;
    }
    if (t - start >= COOLANT_LIMITS.thermostatCheckAfterMs) maxAfterCheck = Math.max(maxAfterCheck, c);

    // Plateau test with a trailing pointer: O(n) for the drive.
    while (t - points[windowStart].ts.getTime() > COOLANT_LIMITS.plateauWindowMs) windowStart++;
    const windowSpan = t - points[windowStart].ts.getTime();
    if (
      !warmedUp &&
      t - start >= COOLANT_LIMITS.minWarmupMs &&
      windowSpan >= COOLANT_LIMITS.plateauWindowMs * 0.75 &&
      c - points[windowStart].coolantTempC <= COOLANT_LIMITS.plateauRiseC
    ) {
      warmedUp = true;
    }
    if (warmedUp && isMoving(p)) warmReadings.push([t, c]);

    // Overheating episodes.
    const gapBreak = episode !== null && t - previousT > COOLANT_LIMITS.episodeMaxGapMs;
    if (episode !== null && (c < COOLANT_LIMITS.overheatC || gapBreak)) {
      episodes.push(episode);
      episode = null;
      criticalSince = null;
    }
    if (c >= COOLANT_LIMITS.overheatC) {
      if (episode === null) episode = { startMs: t, durationS: 0, peakC: c, criticalS: 0 };
      episode.durationS = (t - episode.startMs) / 1000;
      episode.peakC = Math.max(episode.peakC, c);
      if (c > COOLANT_LIMITS.criticalC) {
        criticalSince ??= t;
        episode.criticalS = Math.max(episode.criticalS, (t - criticalSince) / 1000);
      } else {
        criticalSince = null;
      }
    }
    previousT = t;
  }
  if (episode !== null) episodes.push(episode);

  const ambient = ambients.length > 0 ? ambients.reduce((a, b) => a + b, 0) / ambients.length : null;
  const judged = movingMs >= COOLANT_LIMITS.longDriveMovingMs && (ambient === null || ambient >= COOLANT_LIMITS.coldAmbientC);
  const maxAfterCheckC = Number.isFinite(maxAfterCheck) ? maxAfterCheck : null;
  let thermostatCheck: DriveCoolantFacts['thermostatCheck'] = 'not-judged';
  if (judged && maxAfterCheckC !== null) thermostatCheck = maxAfterCheckC < COOLANT_LIMITS.operatingMinC ? 'stayed-cold' : 'warm';
  return { warmReadings, episodes, warmupMinutes, thermostatCheck, maxAfterCheckC };
}
