import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#app/database';
import type { ComponentAssessment, ComponentName, SavedSummary, VehicleProfile } from '#app/maintenance';
import { ACTIVE_STATUSES } from '#app/notifications';
import type { CachedModelRow } from './model-state.cache.js';

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
 * Joined into the score's two writes (the save and markScored): their transaction commits without waiting
 * for the WAL flush (set_config(..., true) lasts for the statement's own transaction). Measured on this
 * machine: the flush was half of each write's time (a one-row UPDATE: 13-15 ms synchronous, 3-8 ms without).
 * Safe for these rows because they are derived and idempotent: a crash can lose only the last few hundred ms
 * of commits, always a suffix in WAL order, so a lost save takes its markScored with it (the car stays behind
 * its telemetry and the reconciler scores it again), and any later synchronous commit (the reminders') flushes
 * the save before it. Telemetry, reminders and everything else keep synchronous commits.
 */
const ASYNC_COMMIT = Prisma.sql`(SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`;

/**
 * What marking a vehicle scored up to `telemetryVersion` writes, in markScored's UPDATE and in the save's when the
 * save marks (one text, so the two cannot drift): late samples up to this version are folded now (a newer batch
 * may have brought another: keep it then), and the scored version never goes back (a slower rerun of an older job).
 */
function markScoredSet(telemetryVersion: bigint, scoredAt: Date): Prisma.Sql {
  return Prisma.sql`
        "lateSampleTs" = CASE WHEN "telemetryVersion" = ${telemetryVersion} THEN NULL ELSE "lateSampleTs" END,
        "scoredVersion" = greatest("scoredVersion", ${telemetryVersion}),
        "lastScoredAt" = ${scoredAt}::timestamptz`;
}

/** A snapshot goes to the history when something an owner would notice changed, or once a day. */
const SNAPSHOT_EVERY_MS = 24 * 3_600_000;
const HEALTH_STEP = 5;
const DUE_STEP_MS = 24 * 3_600_000;

/** A row of scoringStart as pg returns it (bigint columns come as text). */
interface StartRow {
  make: string;
  model: string;
  year: number;
  fuelType: VehicleProfile['fuelType'];
  oilServiceIntervalKm: number;
  oilServiceIntervalMonths: number;
  telemetryVersion: string;
  lastScoredAt: Date | null;
  lateSampleTs: Date | null;
  hasActiveReminder: boolean;
  component: ComponentName | null;
  key: string | null;
  /** True: the row is the version the caller holds, and state and summary are not sent. */
  held: boolean;
  state: string | null;
  summary: string | null;
  summaryVersion: string | null;
  closedUntil: Date | null;
}

/**
 * Writes one vehicle's score: current predictions, their history and model states, each in one statement
 * (one round trip: a score used to cost ~15 statements and ~0.3 s here, most of it in Prisma turning the
 * 40 KB of summaries into per-row upserts). Rerunning the same job rewrites the same rows (idempotent).
 */
@Injectable()
export class PredictionStore {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The vehicle and its models' saved states in one query; null when the vehicle does not exist. A row whose
   * version is among `held` (the worker's cache) comes back without its state and summary, taken from there.
   */
  async scoringStart(vehicleId: string, held?: ReadonlyMap<ComponentName, CachedModelRow>): Promise<ScoringStart | null> {
    const heldKeys = held === undefined ? [] : [...held.values()].map((row) => row.key);
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
  async save(vehicleId: string, scored: ScoredComponent[], scoredAt: Date, { markScored }: { markScored?: bigint } = {}): Promise<void> {
    const rows = scored.map(({ assessment, state, saved, summaryChanged, stateChanged }) => ({
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
    const mark =
      markScored === undefined
        ? { set: Prisma.empty, when: Prisma.sql`(v."worstRisk", v."worstDueAt") IS DISTINCT FROM (w.risk, w."dueAt")` }
        : { set: Prisma.sql`,${markScoredSet(markScored, scoredAt)}`, when: Prisma.sql`true` };
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
      UPDATE vehicles SET${markScoredSet(telemetryVersion, scoredAt)}
      FROM ${ASYNC_COMMIT}
      WHERE id = ${vehicleId}::uuid`);
  }
}
