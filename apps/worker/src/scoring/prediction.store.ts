import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type ScoringConfig } from '#app/config';
import { Prisma, PrismaService } from '#app/database';
import type { ComponentAssessment, ComponentName, SavedSummary, VehicleProfile } from '#app/maintenance';
import type { CachedModelRow } from './model-state.cache.js';
import { ASYNC_COMMIT, markScoredValues, type SaveCall, type SaveRow, saveManySql, saveOneSql } from './prediction.sql.js';
import { scoringStartManySql, scoringStartOneSql, type StartManyRow, type StartQuery, type StartRow } from './scoring-start.sql.js';
import { StatementBatcher, statementsInFlight } from './statement-batcher.js';

/**
 * The most cars one batched statement carries. Bounds its size (a save carries ~10-20 KB per car, ~70 KB with
 * summaries: 32 cars stay under ~2 MB) and its locks; the scoring concurrency (SCORING_CONCURRENCY) is what
 * limits a batch in practice.
 */
const BATCH_MAX = 32;

/** A scoringStart call: the car and the model-state rows the worker holds for it. */
interface StartCall extends StartQuery {
  held: ReadonlyMap<ComponentName, CachedModelRow> | undefined;
}

export interface ScoredComponent {
  assessment: ComponentAssessment;
  state: unknown;
  /** An incremental model's folded summary of the closed segments; absent for a model that has none. */
  saved?: SavedSummary<unknown>;
  /** False: `saved` continued from the stored summary and folded nothing new, so the stored copy stays. */
  summaryChanged?: boolean;
  /** False: `state` equals the state the score started from, so the stored copy stays (it does not travel). */
  stateChanged?: boolean;
}

/** What the last score left for a model: its state and, for an incremental model, its summary. */
export interface SavedModelState {
  state: unknown;
  saved: SavedSummary<unknown> | null;
}

/** What a score starts from: the vehicle's profile and scoring versions, and each model's saved state. */
export interface ScoringStart {
  profile: VehicleProfile;
  telemetryVersion: bigint;
  lastScoredAt: Date | null;
  lateSampleTs: Date | null;
  /** The vehicle has a reminder in an ACTIVE_STATUSES status: the score's reminder evaluation may act on it. */
  hasActiveReminder: boolean;
  states: Map<ComponentName, SavedModelState>;
  /** The model-state rows as read (held ones included), for the worker's cache. */
  rows: CachedModelRow[];
}

/**
 * Writes one vehicle's score: current predictions, their history and model states, each in one statement
 * (one round trip: a score used to cost ~15 statements and ~0.3 s here, most of it in Prisma turning the
 * 40 KB of summaries into per-row upserts). Rerunning the same job rewrites the same rows (idempotent).
 */
@Injectable()
export class PredictionStore {
  /**
   * Concurrent scores share their scoringStart and save statements (group commit, StatementBatcher): Postgres' CPU
   * per score is mostly each statement's fixed cost (README, "Where a score's Postgres CPU goes"), so one
   * statement for several cars costs little more than one for a car. A score alone runs the same SQL with its values
   * as parameters (saveOneSql, scoringStartOneSql: one text per rule), as does each member of a failed batch.
   */
  private readonly starts: StatementBatcher<StartCall, ScoringStart | null>;
  private readonly saves: StatementBatcher<SaveCall, void>;

  private batchListener: ((statement: 'scoringStart' | 'save', size: number) => void) | undefined;

  constructor(
    private readonly prisma: PrismaService,
    // Optional so tests and benchmarks may leave it out: no batching then.
    @Optional() @Inject(APP_CONFIG) config?: ScoringConfig,
  ) {
    const inFlight = statementsInFlight(config);
    this.starts = new StatementBatcher(
      { one: (call) => this.startOne(call), many: (calls) => this.startMany(calls), key: (call) => call.vehicleId },
      BATCH_MAX,
      (size) => this.batchListener?.('scoringStart', size),
      inFlight,
    );
    this.saves = new StatementBatcher(
      { one: (call) => this.saveOne(call), many: (calls) => this.saveMany(calls), key: (call) => call.vehicleId },
      BATCH_MAX,
      (size) => this.batchListener?.('save', size),
      inFlight,
    );
  }

  /** Tells `listener` the size of each scoringStart and save statement sent from now on (1: a car alone), for tests and benchmarks. */
  observeBatches(listener: (statement: 'scoringStart' | 'save', size: number) => void): void {
    this.batchListener = listener;
  }

  /**
   * The vehicle and its models' saved states in one query; null when the vehicle does not exist. A row whose
   * version is among `held` (the worker's cache) comes back without its state and summary, taken from there.
   */
  scoringStart(vehicleId: string, held?: ReadonlyMap<ComponentName, CachedModelRow>): Promise<ScoringStart | null> {
    const heldKeys = held === undefined ? [] : [...held.values()].map((row) => row.key);
    return this.starts.run({ vehicleId, heldKeys, held });
  }

  private async startOne(call: StartCall): Promise<ScoringStart | null> {
    return toScoringStart(await this.prisma.poolRowsPrepared<StartRow>(scoringStartOneSql(call)), call.held);
  }

  private async startMany(calls: readonly StartCall[]): Promise<(ScoringStart | null)[]> {
    const rows = await this.prisma.poolRowsPrepared<StartManyRow>(scoringStartManySql(calls));
    const byCall = calls.map((): StartRow[] => []);
    for (const row of rows) byCall[row.ord]?.push(row);
    return calls.map((call, ord) => toScoringStart(byCall[ord] ?? [], call.held));
  }

  /**
   * The score's predictions, their history snapshots and the models' states, and the vehicle's worst risk, in one
   * statement (saveSql in prediction.sql.ts says what each part decides and why).
   *
   * `markScored` (a telemetry version): the same statement also does what markScored does, for a score after which
   * nothing else has to commit (no reminder can change): one round trip and one commit fewer, and a crash cannot
   * separate the two.
   */
  save(vehicleId: string, scored: ScoredComponent[], scoredAt: Date, { markScored }: { markScored?: bigint } = {}): Promise<void> {
    const rows: SaveRow[] = scored.map(({ assessment, state, saved, summaryChanged, stateChanged }) => ({
      component: assessment.component,
      health: Math.round(assessment.health),
      risk: assessment.risk,
      dueAt: assessment.dueAt ?? null,
      dueOdometerKm: assessment.dueOdometerKm ?? null,
      confidence: assessment.confidence,
      evidence: assessment.evidence,
      findings: assessment.findings,
      explanation: assessment.explanation,
      modelVersion: assessment.modelVersion,
      // An unchanged state does not travel either: a JSON null (never a model's state: none is saved as {}) says
      // "keep the stored one" (see upsert_states). Most scores change no state (the tyre state was 15 KB).
      state: stateChanged === false ? null : (state ?? {}),
      // An unchanged summary does not travel (most of a score's bytes: serialised here, parsed and compared by
      // Postgres): null with a summaryVersion means "keep the stored one" (see upsert_states).
      summary: saved === undefined || summaryChanged === false ? null : saved.summary,
      summaryVersion: saved?.summaryVersion ?? null,
      closedUntil: saved === undefined || saved.closedUntilMs === null ? null : new Date(saved.closedUntilMs),
    }));
    return this.saves.run(markScored === undefined ? { vehicleId, rows, scoredAt } : { vehicleId, rows, scoredAt, markScored });
  }

  /** save for several cars in one statement (saveManySql); a failure reruns each car alone (StatementBatcher). */
  private async saveMany(calls: readonly SaveCall[]): Promise<undefined[]> {
    await this.prisma.poolRowsPrepared(saveManySql(calls));
    return calls.map(() => undefined);
  }

  /** save for one car: saveManySql's text with the car's values as parameters (saveOneSql). */
  private async saveOne(call: SaveCall): Promise<void> {
    await this.prisma.poolRowsPrepared(saveOneSql(call));
  }

  /**
   * Records that the vehicle is scored up to `telemetryVersion` (markScoredSet): called last, once everything that
   * follows from the score (its reminders) is committed too. A worker that dies before this leaves the vehicle
   * behind its telemetry (or never scored), so the reconciler scores it again; scoring and reminders are idempotent.
   */
  async markScored(vehicleId: string, telemetryVersion: bigint, scoredAt: Date): Promise<void> {
    await this.prisma.poolRowsPrepared(Prisma.sql`
      UPDATE vehicles SET${markScoredValues(telemetryVersion, scoredAt)}
      FROM ${ASYNC_COMMIT}
      WHERE id = ${vehicleId}::uuid`);
  }
}

/** One car's scoringStart rows (one per model-state row, or one with no component) as what a score starts from. */
function toScoringStart(rows: readonly StartRow[], held: ReadonlyMap<ComponentName, CachedModelRow> | undefined): ScoringStart | null {
  const first = rows[0];
  if (first === undefined) return null;
  const states = new Map<ComponentName, SavedModelState>();
  const read: CachedModelRow[] = [];
  for (const row of rows) {
    if (row.component === null || row.key === null) continue;
    const cached = row.held
      ? held?.get(row.component)
      : {
          key: row.key,
          component: row.component,
          state: row.state ?? 'null',
          summary: row.summary,
          summaryVersion: row.summaryVersion,
          closedUntil: row.closedUntil,
        };
    // Cannot happen (a held key names its component), and a state silently missing would be a wrong answer.
    if (cached === undefined) throw new Error(`scoringStart: ${row.component} came back as held but is not`);
    read.push(cached);
    const summary: unknown = cached.summary === null ? null : JSON.parse(cached.summary);
    const saved =
      summary === null || cached.summaryVersion === null
        ? null
        : { summaryVersion: cached.summaryVersion, closedUntilMs: cached.closedUntil?.getTime() ?? null, summary };
    // A JSON null state is the "keep" marker of save(), stored only if the row vanished in between: no state.
    states.set(row.component, { state: (JSON.parse(cached.state) as unknown) ?? undefined, saved });
  }
  return {
    profile: {
      make: first.make,
      model: first.model,
      year: first.year,
      fuelType: first.fuelType,
      oilServiceIntervalKm: first.oilServiceIntervalKm,
      oilServiceIntervalMonths: first.oilServiceIntervalMonths,
    },
    telemetryVersion: BigInt(first.telemetryVersion),
    lastScoredAt: first.lastScoredAt,
    lateSampleTs: first.lateSampleTs,
    hasActiveReminder: first.hasActiveReminder,
    states,
    rows: read,
  };
}
