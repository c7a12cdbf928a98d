import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type ScoringConfig } from '#app/config';
import { Prisma, PrismaService } from '#app/database';
import type { ComponentAssessment, ComponentName, SavedSummary, VehicleProfile } from '#app/maintenance';
import { ACTIVE_STATUSES } from '#app/notifications';
import type { CachedModelRow } from './model-state.cache.js';
import {
  ASYNC_COMMIT,
  DUE_STEP_MS,
  HEALTH_STEP,
  markScoredValues,
  type SaveCall,
  type SaveRow,
  saveManySql,
  scoringStartManySql,
  SNAPSHOT_EVERY_MS,
  type StartQuery,
  type StartRow,
} from './prediction.sql.js';
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
   * statement for several cars costs little more than one for a car. A score alone still runs the single-car
   * statements, which are also what each member of a failed batch reruns.
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

  private async startOne({ vehicleId, heldKeys, held }: StartCall): Promise<ScoringStart | null> {
    // State and summary as text (parsed here, as pg's jsonb parser would), so what is held is what was sent.
    const rows = await this.prisma.poolRowsPrepared<StartRow>(Prisma.sql`
      SELECT v.make, v.model, v.year, v."fuelType"::text AS "fuelType", v."oilServiceIntervalKm", v."oilServiceIntervalMonths",
             v."telemetryVersion", v."lastScoredAt", v."lateSampleTs",
             -- Uncorrelated (the id is a parameter), so evaluated once; the (vehicleId, status) index answers it.
             EXISTS (SELECT 1 FROM reminders r WHERE r."vehicleId" = ${vehicleId}::uuid
                     AND r.status = ANY(${[...ACTIVE_STATUSES]}::"ReminderStatus"[])) AS "hasActiveReminder",
             s.component::text AS component, k.key, coalesce(k.key = ANY(${heldKeys}::text[]), false) AS held,
             CASE WHEN k.key = ANY(${heldKeys}::text[]) THEN NULL ELSE s.state::text END AS state,
             CASE WHEN k.key = ANY(${heldKeys}::text[]) THEN NULL ELSE s.summary::text END AS summary,
             s."summaryVersion", s."closedUntil"
      FROM vehicles v LEFT JOIN vehicle_model_states s ON s."vehicleId" = v.id
      -- The row version: the writing transaction (xmin) and updatedAt, so a key never names two contents.
      LEFT JOIN LATERAL (
        SELECT s.component::text || '/' || s.xmin::text || '/' || (extract(epoch FROM s."updatedAt") * 1000)::bigint AS key
      ) k ON s.component IS NOT NULL
      WHERE v.id = ${vehicleId}::uuid`);
    return toScoringStart(rows, held);
  }

  private async startMany(calls: readonly StartCall[]): Promise<(ScoringStart | null)[]> {
    const rows = await this.prisma.poolRowsPrepared<StartRow & { ord: number }>(scoringStartManySql(calls));
    const byCall = calls.map((): StartRow[] => []);
    for (const row of rows) byCall[row.ord]?.push(row);
    return calls.map((call, ord) => toScoringStart(byCall[ord] ?? [], call.held));
  }

  /**
   * One statement, so one transaction: the data-modifying CTEs upsert the predictions and the states, keep the
   * vehicle's worst risk and its due date (what the staff dashboard ranks by) in step with them, and the final INSERT adds a history snapshot per component whose prediction changed (risk, health by
   * HEALTH_STEP, due date by DUE_STEP_MS) or whose last snapshot is SNAPSHOT_EVERY_MS old. Every part of
   * one statement sees the rows as they were before it, so `previous` is the prediction this score
   * replaces; deciding in the same statement leaves no gap for another score of the car in between.
   * The rows travel as one jsonb parameter (undefined values drop out as they did through Prisma's Json).
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

  /** save for one car: the statement saveManySql repeats per car. */
  private async saveOne({ vehicleId, rows, scoredAt, markScored }: SaveCall): Promise<void> {
    const mark =
      markScored === undefined
        ? { set: Prisma.empty, when: Prisma.sql`(v."worstRisk", v."worstDueAt") IS DISTINCT FROM (w.risk, w."dueAt")` }
        : { set: Prisma.sql`,${markScoredValues(markScored, scoredAt)}`, when: Prisma.sql`true` };
    // Prepared: two texts (with and without the mark), each parsed once per connection.
    await this.prisma.poolRowsPrepared(Prisma.sql`
      WITH input AS (
        SELECT r.* FROM ${ASYNC_COMMIT}, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
          component "Component", health int, risk "Risk", "dueAt" timestamptz, "dueOdometerKm" double precision,
          confidence jsonb, evidence jsonb, findings jsonb, explanation text, "modelVersion" text,
          state jsonb, summary jsonb, "summaryVersion" text, "closedUntil" timestamptz)
      ),
      previous AS (
        SELECT component, health, risk, "dueAt" FROM predictions WHERE "vehicleId" = ${vehicleId}::uuid
      ),
      upsert_predictions AS (
        INSERT INTO predictions AS p (id, "vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
                                      findings, explanation, "modelVersion", "scoredAt")
        SELECT gen_random_uuid(), ${vehicleId}::uuid, component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
               findings, explanation, "modelVersion", ${scoredAt}::timestamptz
        FROM input
        ON CONFLICT ("vehicleId", component) DO UPDATE SET
          health = excluded.health, risk = excluded.risk, "dueAt" = excluded."dueAt", "dueOdometerKm" = excluded."dueOdometerKm",
          confidence = excluded.confidence,
          -- An unchanged value is assigned from the stored row: Postgres then keeps its compressed (TOASTed) datum
          -- instead of compressing and writing it again. Equal jsonb is equal text here (JSON.stringify writes a
          -- number one way), so the row reads exactly as if it had been rewritten.
          evidence = CASE WHEN p.evidence = excluded.evidence THEN p.evidence ELSE excluded.evidence END,
          findings = CASE WHEN p.findings = excluded.findings THEN p.findings ELSE excluded.findings END,
          explanation = excluded.explanation, "modelVersion" = excluded."modelVersion", "scoredAt" = excluded."scoredAt"
      ),
      upsert_states AS (
        INSERT INTO vehicle_model_states AS s ("vehicleId", component, state, summary, "summaryVersion", "closedUntil", "updatedAt")
        SELECT ${vehicleId}::uuid, component, coalesce(state, 'null'::jsonb), summary, "summaryVersion", "closedUntil", now() FROM input
        ON CONFLICT ("vehicleId", component) DO UPDATE SET
          state = CASE WHEN excluded.state = 'null'::jsonb THEN s.state ELSE excluded.state END,
          summary = CASE WHEN excluded.summary IS NULL AND excluded."summaryVersion" IS NOT NULL THEN s.summary ELSE excluded.summary END,
          "summaryVersion" = excluded."summaryVersion", "closedUntil" = excluded."closedUntil", "updatedAt" = excluded."updatedAt"
        -- A score that closed no segment (scores seconds apart, a parked car) leaves the row as it was: no
        -- new 40 KB row version to write and vacuum. A kept summary (null with a version) is unchanged by definition.
        WHERE (excluded.state <> 'null'::jsonb AND s.state IS DISTINCT FROM excluded.state)
           OR (s."summaryVersion", s."closedUntil") IS DISTINCT FROM (excluded."summaryVersion", excluded."closedUntil")
           OR (excluded.summary IS NOT NULL OR excluded."summaryVersion" IS NULL) AND s.summary IS DISTINCT FROM excluded.summary
      ),
      -- The car's predictions as this statement leaves them: the scored components, and any it did not score as they were.
      after_score AS (
        SELECT component, risk, "dueAt" FROM input
        UNION ALL
        SELECT component, risk, "dueAt" FROM previous WHERE component NOT IN (SELECT component FROM input)
      ),
      worst AS (
        SELECT risk, min("dueAt") AS "dueAt" FROM after_score GROUP BY risk ORDER BY risk DESC LIMIT 1
      ),
      -- The vehicle's worst risk and earliest due date at it, which the attention list ranks by (vehicles.worstRisk).
      -- Written only when they change, so most scores add no row version to the vehicle; when the save marks the
      -- score too, always, in this one UPDATE (a row updated by two parts of one statement keeps only one update).
      -- The outer join: a car with no prediction at all has no worst risk, and is still marked.
      update_vehicle AS (
        UPDATE vehicles v SET "worstRisk" = w.risk, "worstDueAt" = w."dueAt"${mark.set}
        FROM (SELECT) AS one LEFT JOIN worst w ON true
        WHERE v.id = ${vehicleId}::uuid AND ${mark.when}
      )
      INSERT INTO prediction_snapshots ("vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
                                        findings, explanation, "modelVersion", "scoredAt")
      SELECT ${vehicleId}::uuid, i.component, i.health, i.risk, i."dueAt", i."dueOdometerKm", i.confidence, i.evidence,
             i.findings, i.explanation, i."modelVersion", ${scoredAt}::timestamptz
      FROM input i
      LEFT JOIN previous p ON p.component = i.component
      -- The newest snapshot per component from the (vehicleId, component, scoredAt) index, not a scan of the car's history.
      LEFT JOIN LATERAL (
        SELECT "scoredAt" FROM prediction_snapshots
        WHERE "vehicleId" = ${vehicleId}::uuid AND component = i.component ORDER BY "scoredAt" DESC LIMIT 1
      ) l ON true
      WHERE p.component IS NULL
         OR p.risk <> i.risk
         OR abs(p.health - i.health) >= ${HEALTH_STEP}
         OR abs(extract(epoch FROM coalesce(p."dueAt", 'epoch') - coalesce(i."dueAt", 'epoch'))) * 1000 >= ${DUE_STEP_MS}
         OR l."scoredAt" IS NULL
         OR extract(epoch FROM ${scoredAt}::timestamptz - l."scoredAt") * 1000 >= ${SNAPSHOT_EVERY_MS}`);
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
