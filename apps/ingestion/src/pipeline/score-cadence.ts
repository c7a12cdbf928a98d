import type { VehicleSample } from '#app/database';
import { promptScoreReason } from './prompt-score.policy.js';

export interface TelemetryScoreRequest {
  vehicleId: string;
  /** Run no later than this from now (a job waiting for later is brought forward). */
  delayMs: number;
}

export interface ScoreRequester {
  /** Routine: may be dropped while the vehicle's job runs (the worker's reconciler asks again when it is due). */
  requestEach(requests: readonly TelemetryScoreRequest[], reason: 'telemetry'): Promise<void>;
  /** Prompt: kept even while the vehicle's job runs (one more runs after it). */
  requestEachSoon(requests: readonly TelemetryScoreRequest[], reason: 'telemetry'): Promise<void>;
}

/** What a commit stored: the vehicles with new samples, and which of them were never scored. */
export interface CommittedVehicles {
  touchedVehicleIds: readonly string[];
  neverScoredVehicleIds: readonly string[];
}

export interface ScoreCadenceOptions {
  /** The routine cadence: a vehicle with new telemetry is scored this long after it was last asked for. */
  intervalMs: number;
  /** A prompt score waits this long (coalesces the warning samples that come together). */
  debounceMs: number;
  /** While a warning persists, prompt scores are this far apart (SCORING_PROMPT_GAP_MS; PROMPT_GAP_MS by default). */
  promptGapMs?: number;
}

export interface CadenceLogger {
  warn(message: string): void;
}

/** A car that keeps sending a warning (a fault code that stays on) is rescored about once a minute by default. */
export const PROMPT_GAP_MS = 60_000;
const PRUNE_ABOVE = 100_000;

/** A car's current prompt window: prompt scores are spaced by the gap; `followed` = a warning came after its start. */
interface PromptWindow {
  endsAt: number;
  followed: boolean;
}

/**
 * Decides, after each commit, which vehicles to ask a score for and how soon:
 * - a warning sign: a score within the debounce, then at most one per prompt gap while the sign
 *   persists; a warning inside the gap asks for a catch-up at the gap's end, so every warning is covered
 *   by a score that starts no later than the gap (60 s by default) after its commit;
 * - a vehicle never scored (its first telemetry): a score within the debounce;
 * - everything else: the routine cadence.
 * It only saves Redis rounds and worker time; whatever it skips or loses is repaired by the worker's
 * reconciler (telemetryVersion > scoredVersion in Postgres).
 */
export class TelemetryScoreCadence {
  private readonly routineAskedAt = new Map<string, number>();
  private readonly firstAskedAt = new Map<string, number>();
  private readonly promptWindows = new Map<string, PromptWindow>();
  private readonly promptGapMs: number;

  constructor(
    private readonly scoring: ScoreRequester,
    private readonly logger: CadenceLogger,
    private readonly options: ScoreCadenceOptions,
  ) {
    this.promptGapMs = Math.max(options.promptGapMs ?? PROMPT_GAP_MS, options.debounceMs);
  }

  afterCommit(samples: readonly VehicleSample[], committed: CommittedVehicles, nowMs: number): void {
    const stored = new Set(committed.touchedVehicleIds);
    const neverScored = new Set(committed.neverScoredVehicleIds);
    const warned = new Set(samples.filter((s) => stored.has(s.vehicleId) && promptScoreReason(s.sample) !== undefined).map((s) => s.vehicleId));
    const soon: { vehicleId: string; delayMs: number }[] = [];
    const routine: { vehicleId: string; delayMs: number }[] = [];
    for (const vehicleId of stored) {
      if (warned.has(vehicleId)) soon.push({ vehicleId, delayMs: this.promptDelay(vehicleId, nowMs) });
      else if (neverScored.has(vehicleId)) {
        // Retried once a gap while still unscored (the first job may have been lost with Redis).
        if (claim(this.firstAskedAt, vehicleId, nowMs, this.promptGapMs)) soon.push({ vehicleId, delayMs: this.options.debounceMs });
      } else if (claim(this.routineAskedAt, vehicleId, nowMs, this.options.intervalMs)) {
        routine.push({ vehicleId, delayMs: this.options.intervalMs });
      }
    }
    this.prune(nowMs);

    const failed = (error: unknown) => this.logger.warn(`scoring request failed, the reconciler will catch up: ${(error as Error).message}`);
    if (soon.length > 0) this.scoring.requestEachSoon(soon, 'telemetry').catch(failed);
    if (routine.length > 0) this.scoring.requestEach(routine, 'telemetry').catch(failed);
  }

  /**
   * How soon a warning must be scored. Asked again for every warning, not once per window: an earlier
   * request may have been served by a job that started before this sample was committed.
   */
  private promptDelay(vehicleId: string, nowMs: number): number {
    let window = this.promptWindows.get(vehicleId);
    if (window !== undefined && nowMs >= window.endsAt) {
      // A window that asked for a catch-up chains into the next one (the catch-up opened it), so a sign
      // that persists is scored once a gap, not at each gap's end and again a debounce later.
      window =
        window.followed && nowMs < window.endsAt + this.promptGapMs ? { endsAt: window.endsAt + this.promptGapMs, followed: false } : undefined;
    }
    if (window === undefined) {
      this.promptWindows.set(vehicleId, { endsAt: nowMs + this.promptGapMs, followed: false });
      return this.options.debounceMs;
    }
    this.promptWindows.set(vehicleId, { endsAt: window.endsAt, followed: true });
    return window.endsAt - nowMs;
  }

  private prune(nowMs: number): void {
    prune(this.routineAskedAt, nowMs, this.options.intervalMs);
    prune(this.firstAskedAt, nowMs, this.promptGapMs);
    if (this.promptWindows.size <= PRUNE_ABOVE) return;
    for (const [id, window] of this.promptWindows) if (nowMs >= window.endsAt + this.promptGapMs) this.promptWindows.delete(id);
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
