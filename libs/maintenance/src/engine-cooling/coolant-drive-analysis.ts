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
  /** The danger line: episodes above it count even when they stay below the overheat line. */
  dangerC: 105,
  overheatC: 110,
  criticalC: 115,
  criticalSustainMs: 120_000,
  /** Readings further apart than this do not make one continuous episode. */
  episodeMaxGapMs: 60_000,
  /**
   * A drive with this much moving time and this much running time should have reached operating
   * temperature: a healthy engine warms up in 6-11 minutes from cold (the simulator and the real logs
   * agree), so the peak after minute 10 of a 12-minute drive is its regulated temperature.
   */
  longDriveMovingMs: 8 * 60_000,
  longDriveRunningMs: 12 * 60_000,
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

/**
 * One drive's warm-up, summarised: what the thermostat finding decides from. Compact on purpose (a few
 * numbers per drive), so it can be kept in saved state instead of re-reading the drive's raw points.
 */
export interface DriveWarmup {
  startMs: number;
  runningMinutes: number;
  movingMinutes: number;
  startC: number;
  /** Coolant 6 minutes into the drive (the warm-up curve's tell-tale), null on shorter drives. */
  at6MinC: number | null;
  /** Highest coolant after minute 10 (the regulated temperature on a healthy engine). */
  peakAfterCheckC: number | null;
  ambientC: number | null;
  /** Long and fast enough to warm up, and not in deep cold: the drive can judge the thermostat. */
  judged: boolean;
}

export interface DriveCoolantFacts {
  /** Warmed-up, moving readings: [ts ms, coolant C]. */
  warmReadings: [number, number][];
  episodes: OverheatEpisode[];
  /** Episodes above the danger line (105 C), including those that went on past 110 C. */
  dangerEpisodes: OverheatEpisode[];
  warmup: DriveWarmup;
  /** Minutes from a cold start to the warm temperature, when this was a cold start that got there. */
  warmupMinutes: number | null;
  /** Whether the drive was long enough to judge the thermostat, and if so whether it stayed cold. */
  thermostatCheck: 'not-judged' | 'warm' | 'stayed-cold';
  maxAfterCheckC: number | null;
}

/** Consecutive readings at or above a line make one episode; a gap in reporting ends it. */
class EpisodeTracker {
  readonly episodes: OverheatEpisode[] = [];
  private current: OverheatEpisode | null = null;
  private criticalSince: number | null = null;

  constructor(private readonly lineC: number) {}

  add(t: number, c: number, previousT: number): void {
    const gapBreak = this.current !== null && t - previousT > COOLANT_LIMITS.episodeMaxGapMs;
    if (this.current !== null && (c < this.lineC || gapBreak)) this.close();
    if (c < this.lineC) return;
    const episode = (this.current ??= { startMs: t, durationS: 0, peakC: c, criticalS: 0 });
    episode.durationS = (t - episode.startMs) / 1000;
    episode.peakC = Math.max(episode.peakC, c);
    if (c > COOLANT_LIMITS.criticalC) {
      this.criticalSince ??= t;
      episode.criticalS = Math.max(episode.criticalS, (t - this.criticalSince) / 1000);
    } else {
      this.criticalSince = null;
    }
  }

  close(): void {
    if (this.current !== null) this.episodes.push(this.current);
    this.current = null;
    this.criticalSince = null;
  }
}

function isMoving(p: TelemetryPoint): boolean {
  if (p.speedKph !== undefined) return p.speedKph >= COOLANT_LIMITS.minMovingKph;
  return p.rpm !== undefined && p.rpm >= COOLANT_LIMITS.minRunningRpm;
}

export function analyseDrive(drive: DriveSession): DriveCoolantFacts {
  const points = drive.samples.filter((p): p is TelemetryPoint & { coolantTempC: number } => p.coolantTempC !== undefined);
  const warmReadings: [number, number][] = [];
  if (points.length === 0) {
    const warmup: DriveWarmup = {
      startMs: drive.startMs,
      runningMinutes: 0,
      movingMinutes: 0,
      startC: NaN,
      at6MinC: null,
      peakAfterCheckC: null,
      ambientC: null,
      judged: false,
    };
    return { warmReadings, episodes: [], dangerEpisodes: [], warmup, warmupMinutes: null, thermostatCheck: 'not-judged', maxAfterCheckC: null };
  }
  const start = drive.startMs;
  const firstC = points[0].coolantTempC;
  let warmedUp = false;
  let windowStart = 0;
  let warmupMinutes: number | null = null;
  let movingMs = 0;
  let maxAfterCheck = -Infinity;
  const ambients: number[] = [];
  const overheat = new EpisodeTracker(COOLANT_LIMITS.overheatC);
  const danger = new EpisodeTracker(COOLANT_LIMITS.dangerC);
  let at6MinC: number | null = null;
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
    if (at6MinC === null && t - start >= 6 * 60_000) at6MinC = c;

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

    overheat.add(t, c, previousT);
    danger.add(t, c, previousT);
    previousT = t;
  }
  overheat.close();
  danger.close();

  const ambient = ambients.length > 0 ? ambients.reduce((a, b) => a + b, 0) / ambients.length : null;
  const runningMs = points[points.length - 1].ts.getTime() - start;
  const maxAfterCheckC = Number.isFinite(maxAfterCheck) ? maxAfterCheck : null;
  const judged =
    movingMs >= COOLANT_LIMITS.longDriveMovingMs &&
    runningMs >= COOLANT_LIMITS.longDriveRunningMs &&
    maxAfterCheckC !== null &&
    (ambient === null || ambient >= COOLANT_LIMITS.coldAmbientC);
  let thermostatCheck: DriveCoolantFacts['thermostatCheck'] = 'not-judged';
  if (judged) thermostatCheck = maxAfterCheckC < COOLANT_LIMITS.operatingMinC ? 'stayed-cold' : 'warm';
  const warmup: DriveWarmup = {
    startMs: start,
    runningMinutes: runningMs / 60_000,
    movingMinutes: movingMs / 60_000,
    startC: firstC,
    at6MinC,
    peakAfterCheckC: maxAfterCheckC,
    ambientC: ambient,
    judged,
  };
  return { warmReadings, episodes: overheat.episodes, dangerEpisodes: danger.episodes, warmup, warmupMinutes, thermostatCheck, maxAfterCheckC };
}
