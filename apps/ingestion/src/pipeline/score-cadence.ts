import type { VehicleSample } from '#app/database';
import { promptScoreReason } from './prompt-score.policy.js';

export interface ScoreRequester {
  /** A job after `delayMs` unless one already waits for the vehicle. */
  requestScores(vehicleIds: Iterable<string>, reason: 'telemetry', delayMs: number): Promise<void>;
  /** A job within the debounce, bringing a later waiting one forward. */
  requestScoresSoon(vehicleIds: Iterable<string>, reason: 'telemetry'): Promise<void>;
}

export interface ScoreCadenceOptions {
  /** The routine cadence: a vehicle with new telemetry is scored this long after it was last asked for. */
  intervalMs: number;
  /** A prompt score waits this long (coalesces the warning samples that come together). */
  debounceMs: number;
}

export interface CadenceLogger {
  warn(message: string): void;
}

/** A car that keeps sending a warning (a fault code that stays on) is rescored at most once a minute. */
const PROMPT_GAP_MS = 60_000;
const PRUNE_ABOVE = 100_000;

/**
 * Decides, after each commit, which vehicles to ask a score for and how soon: warning signs promptly,
 * everything else at the routine cadence. It only saves Redis rounds and worker time; whatever it skips
 * or loses is repaired by the worker's reconciler (telemetryVersion > scoredVersion in Postgres).
 */
export class TelemetryScoreCadence {
  private readonly routineAskedAt = new Map<string, number>();
  private readonly promptAskedAt = new Map<string, number>();
  private readonly promptGapMs: number;

  constructor(
    private readonly scoring: ScoreRequester,
    private readonly logger: CadenceLogger,
    private readonly options: ScoreCadenceOptions,
  ) {
    this.promptGapMs = Math.max(PROMPT_GAP_MS, options.debounceMs);
  }

  afterCommit(samples: readonly VehicleSample[], storedVehicleIds: readonly string[], nowMs: number): void {
    const stored = new Set(storedVehicleIds);
    const warned = new Set(samples.filter((s) => stored.has(s.vehicleId) && promptScoreReason(s.sample) !== undefined).map((s) => s.vehicleId));
    const soon = [...warned].filter((id) => claim(this.promptAskedAt, id, nowMs, this.promptGapMs));
    const routine = storedVehicleIds.filter((id) => !warned.has(id) && claim(this.routineAskedAt, id, nowMs, this.options.intervalMs));
    prune(this.promptAskedAt, nowMs, this.promptGapMs);
    prune(this.routineAskedAt, nowMs, this.options.intervalMs);

    const failed = (error: unknown) => this.logger.warn(`scoring request failed, the reconciler will catch up: ${(error as Error).message}`);
    if (soon.length > 0) this.scoring.requestScoresSoon(soon, 'telemetry').catch(failed);
    if (routine.length > 0) this.scoring.requestScores(routine, 'telemetry', this.options.intervalMs).catch(failed);
  }
}

/** True (and remembers now) when the vehicle was not asked for within `gapMs`. */
function claim(askedAt: Map<string, number>, vehicleId: string, nowMs: number, gapMs: number): boolean {
  const last = askedAt.get(vehicleId);
  if (last !== undefined && nowMs - last < gapMs) return false;
  askedAt.set(vehicleId, nowMs);
  return true;
}

function prune(askedAt: Map<string, number>, nowMs: number, gapMs: number): void {
  if (askedAt.size <= PRUNE_ABOVE) return;
  for (const [id, at] of askedAt) if (nowMs - at >= gapMs) askedAt.delete(id);
}
