import { Prisma } from '#app/database';
import type { ComponentName, VehicleProfile } from '#app/maintenance';
import { ACTIVE_STATUSES } from '#app/notifications';

// The score's statements shared by the single-car and the batched forms (PredictionStore), and the batched forms.

/**
 * Joined into the score's two writes (the save and markScored): their transaction commits without waiting
 * for the WAL flush (set_config(..., true) lasts for the statement's own transaction). Measured on this
 * machine: the flush was half of each write's time (a one-row UPDATE: 13-15 ms synchronous, 3-8 ms without).
 * Safe for these rows because they are derived and idempotent: a crash can lose only the last few hundred ms
 * of commits, always a suffix in WAL order, so a lost save takes its markScored with it (the car stays behind
 * its telemetry and the reconciler scores it again), and any later synchronous commit (the reminders') flushes
 * the save before it. Telemetry, reminders and everything else keep synchronous commits.
 */
export const ASYNC_COMMIT = Prisma.sql`(SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`;

/**
 * What marking a vehicle scored up to `telemetryVersion` writes, in markScored's UPDATE, in the save's when the
 * save marks, and in the batched save's with each car's columns for the values (one text, so they cannot drift): late samples up to this version are folded now (a newer batch
 * may have brought another: keep it then), and the scored version never goes back (a slower rerun of an older job).
 */
export function markScoredSet(telemetryVersion: Prisma.Sql, scoredAt: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
        "lateSampleTs" = CASE WHEN "telemetryVersion" = ${telemetryVersion} THEN NULL ELSE "lateSampleTs" END,
        "scoredVersion" = greatest("scoredVersion", ${telemetryVersion}),
        "lastScoredAt" = ${scoredAt}`;
}

/** markScoredSet for one car's values, as parameters. */
export const markScoredValues = (telemetryVersion: bigint, scoredAt: Date): Prisma.Sql =>
  markScoredSet(Prisma.sql`${telemetryVersion}`, Prisma.sql`${scoredAt}::timestamptz`);

/** A snapshot goes to the history when something an owner would notice changed, or once a day. */
export const SNAPSHOT_EVERY_MS = 24 * 3_600_000;
export const HEALTH_STEP = 5;
export const DUE_STEP_MS = 24 * 3_600_000;

/** A row of scoringStart as pg returns it (bigint columns come as text). */
export interface StartRow {
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

/** One car's part of a batched scoringStart: its id and the model-state row versions its worker holds. */
export interface StartQuery {
  vehicleId: string;
  heldKeys: string[];
}

/**
 * scoringStart for several cars in one statement (PredictionStore.scoringStart says what each part is for). The
 * held keys are compared per car: one batched save writes several cars' rows in one transaction with one now(), so
 * two cars' rows of a component can carry the same key. Rows come with their car's place in `queries` (`ord`); a car
 * that does not exist has none. One snapshot for all: each car's rows are as consistent as when read alone.
 */
export function scoringStartManySql(queries: readonly StartQuery[]): Prisma.Sql {
  const cars = queries.map(({ vehicleId, heldKeys }, ord) => ({ ord, id: vehicleId, held: heldKeys }));
  return Prisma.sql`
    SELECT q.ord, v.make, v.model, v.year, v."fuelType"::text AS "fuelType", v."oilServiceIntervalKm",
           v."oilServiceIntervalMonths", v."telemetryVersion", v."lastScoredAt", v."lateSampleTs", a."hasActiveReminder",
           s.component::text AS component, k.key, coalesce(k.key = ANY(q.held), false) AS held,
           CASE WHEN k.key = ANY(q.held) THEN NULL ELSE s.state::text END AS state,
           CASE WHEN k.key = ANY(q.held) THEN NULL ELSE s.summary::text END AS summary,
           s."summaryVersion", s."closedUntil"
    FROM jsonb_to_recordset(${JSON.stringify(cars)}::jsonb) AS q(ord int, id uuid, held text[])
    JOIN vehicles v ON v.id = q.id
    -- Once per car (not per state row): the (vehicleId, status) index answers it.
    CROSS JOIN LATERAL (
      SELECT EXISTS (SELECT 1 FROM reminders r WHERE r."vehicleId" = q.id
                     AND r.status = ANY(${[...ACTIVE_STATUSES]}::"ReminderStatus"[])) AS "hasActiveReminder"
    ) a
    LEFT JOIN vehicle_model_states s ON s."vehicleId" = v.id
    LEFT JOIN LATERAL (
      SELECT s.component::text || '/' || s.xmin::text || '/' || (extract(epoch FROM s."updatedAt") * 1000)::bigint AS key
    ) k ON s.component IS NOT NULL`;
}

/** A prediction row of a save as it travels (jsonb): PredictionStore.save builds them. */
export interface SaveRow {
  component: ComponentName;
  [column: string]: unknown;
}

/** One car's part of a batched save. */
export interface SaveCall {
  vehicleId: string;
  rows: SaveRow[];
  scoredAt: Date;
  /** The telemetry version to mark the car scored at in the same statement; undefined: not marked here. */
  markScored?: bigint;
}

/**
 * PredictionStore.save for several cars in one statement: the same CTEs (read the single form's comments; they say
 * why each part is as it is) with every row carrying its car, its scoredAt and its mark. The snapshot rule, the kept
 * values and states, the worst risk and the mark are decided per car exactly as alone: `previous`, the newest
 * snapshot and the vehicle row are looked up by (vehicle, component) and by vehicle.
 *
 * Locks in one order, so two batches (two workers) or a batch and ingestion's multi-car version UPDATE cannot
 * deadlock: predictions and states are upserted sorted by (vehicle, component), and the vehicle rows are locked
 * sorted by id (`locked`, FOR NO KEY UPDATE as the UPDATE itself takes) before they are updated. The UPDATE is split
 * in two, cars marked here and cars not (disjoint, so no row is updated twice), so that the marked ones use
 * markScoredSet itself, with the car's columns in place of parameters.
 */
export function saveManySql(calls: readonly SaveCall[]): Prisma.Sql {
  const sorted = [...calls].sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0));
  const rows = sorted.flatMap(({ vehicleId, rows: carRows }) => carRows.map((row) => ({ vehicleId, ...row })));
  const cars = sorted.map(({ vehicleId, scoredAt, markScored }) => ({
    vehicleId,
    scoredAt,
    mark: markScored === undefined ? null : markScored.toString(),
  }));
  return Prisma.sql`
    WITH cars AS (
      SELECT c.* FROM jsonb_to_recordset(${JSON.stringify(cars)}::jsonb) AS c("vehicleId" uuid, "scoredAt" timestamptz, mark bigint)
    ),
    input AS (
      SELECT r.*, c."scoredAt" FROM ${ASYNC_COMMIT}, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        "vehicleId" uuid, component "Component", health int, risk "Risk", "dueAt" timestamptz, "dueOdometerKm" double precision,
        confidence jsonb, evidence jsonb, findings jsonb, explanation text, "modelVersion" text,
        state jsonb, summary jsonb, "summaryVersion" text, "closedUntil" timestamptz)
      JOIN cars c ON c."vehicleId" = r."vehicleId"
    ),
    previous AS (
      SELECT "vehicleId", component, health, risk, "dueAt" FROM predictions WHERE "vehicleId" IN (SELECT "vehicleId" FROM cars)
    ),
    upsert_predictions AS (
      INSERT INTO predictions AS p (id, "vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
                                    findings, explanation, "modelVersion", "scoredAt")
      SELECT gen_random_uuid(), "vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
             findings, explanation, "modelVersion", "scoredAt"
      FROM input ORDER BY "vehicleId", component
      ON CONFLICT ("vehicleId", component) DO UPDATE SET
        health = excluded.health, risk = excluded.risk, "dueAt" = excluded."dueAt", "dueOdometerKm" = excluded."dueOdometerKm",
        confidence = excluded.confidence,
        evidence = CASE WHEN p.evidence = excluded.evidence THEN p.evidence ELSE excluded.evidence END,
        findings = CASE WHEN p.findings = excluded.findings THEN p.findings ELSE excluded.findings END,
        explanation = excluded.explanation, "modelVersion" = excluded."modelVersion", "scoredAt" = excluded."scoredAt"
    ),
    upsert_states AS (
      INSERT INTO vehicle_model_states AS s ("vehicleId", component, state, summary, "summaryVersion", "closedUntil", "updatedAt")
      SELECT "vehicleId", component, coalesce(state, 'null'::jsonb), summary, "summaryVersion", "closedUntil", now()
      FROM input ORDER BY "vehicleId", component
      ON CONFLICT ("vehicleId", component) DO UPDATE SET
        state = CASE WHEN excluded.state = 'null'::jsonb THEN s.state ELSE excluded.state END,
        summary = CASE WHEN excluded.summary IS NULL AND excluded."summaryVersion" IS NOT NULL THEN s.summary ELSE excluded.summary END,
        "summaryVersion" = excluded."summaryVersion", "closedUntil" = excluded."closedUntil", "updatedAt" = excluded."updatedAt"
      WHERE (excluded.state <> 'null'::jsonb AND s.state IS DISTINCT FROM excluded.state)
         OR (s."summaryVersion", s."closedUntil") IS DISTINCT FROM (excluded."summaryVersion", excluded."closedUntil")
         OR (excluded.summary IS NOT NULL OR excluded."summaryVersion" IS NULL) AND s.summary IS DISTINCT FROM excluded.summary
    ),
    after_score AS (
      SELECT "vehicleId", component, risk, "dueAt" FROM input
      UNION ALL
      SELECT p."vehicleId", p.component, p.risk, p."dueAt" FROM previous p
      WHERE NOT EXISTS (SELECT 1 FROM input i WHERE i."vehicleId" = p."vehicleId" AND i.component = p.component)
    ),
    worst AS (
      SELECT DISTINCT ON ("vehicleId") "vehicleId", risk, min("dueAt") AS "dueAt" FROM after_score
      GROUP BY "vehicleId", risk ORDER BY "vehicleId", risk DESC
    ),
    locked AS MATERIALIZED (
      SELECT id FROM vehicles WHERE id IN (SELECT "vehicleId" FROM cars) ORDER BY id FOR NO KEY UPDATE
    ),
    update_unmarked AS (
      UPDATE vehicles v SET "worstRisk" = w.risk, "worstDueAt" = w."dueAt"
      FROM locked l JOIN cars c ON c."vehicleId" = l.id LEFT JOIN worst w ON w."vehicleId" = l.id
      WHERE v.id = l.id AND c.mark IS NULL AND (v."worstRisk", v."worstDueAt") IS DISTINCT FROM (w.risk, w."dueAt")
    ),
    update_marked AS (
      UPDATE vehicles v SET "worstRisk" = w.risk, "worstDueAt" = w."dueAt",${markScoredSet(Prisma.sql`c.mark`, Prisma.sql`c."scoredAt"`)}
      FROM locked l JOIN cars c ON c."vehicleId" = l.id LEFT JOIN worst w ON w."vehicleId" = l.id
      WHERE v.id = l.id AND c.mark IS NOT NULL
    )
    INSERT INTO prediction_snapshots ("vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
                                      findings, explanation, "modelVersion", "scoredAt")
    SELECT i."vehicleId", i.component, i.health, i.risk, i."dueAt", i."dueOdometerKm", i.confidence, i.evidence,
           i.findings, i.explanation, i."modelVersion", i."scoredAt"
    FROM input i
    LEFT JOIN previous p ON p."vehicleId" = i."vehicleId" AND p.component = i.component
    LEFT JOIN LATERAL (
      SELECT "scoredAt" FROM prediction_snapshots
      WHERE "vehicleId" = i."vehicleId" AND component = i.component ORDER BY "scoredAt" DESC LIMIT 1
    ) l ON true
    WHERE p.component IS NULL
       OR p.risk <> i.risk
       OR abs(p.health - i.health) >= ${HEALTH_STEP}
       OR abs(extract(epoch FROM coalesce(p."dueAt", 'epoch') - coalesce(i."dueAt", 'epoch'))) * 1000 >= ${DUE_STEP_MS}
       OR l."scoredAt" IS NULL
       OR extract(epoch FROM i."scoredAt" - l."scoredAt") * 1000 >= ${SNAPSHOT_EVERY_MS}`;
}
