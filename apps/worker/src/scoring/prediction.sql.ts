import { Prisma } from '#app/database';
import { COMPONENTS, type ComponentName } from '#app/maintenance';

// The score's save: one builder for a car alone and for a batch of cars (PredictionStore.save), and markScored's rule.

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
 * What marking a vehicle scored up to `telemetryVersion` writes, in markScored's UPDATE (parameters) and in the
 * save's when the save marks (each car's columns): one text, so they cannot drift. Late samples up to this version are
 * folded now (a newer batch may have brought another: keep it then), and the scored version never goes back (a
 * slower rerun of an older job).
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

/** A prediction row of a save as it travels (jsonb): PredictionStore.save builds them. */
export interface SaveRow {
  component: ComponentName;
  [column: string]: unknown;
}

/** One car's save: its prediction rows, when it was scored and whether the save marks it. */
export interface SaveCall {
  vehicleId: string;
  rows: SaveRow[];
  scoredAt: Date;
  /** The telemetry version to mark the car scored at in the same statement; undefined: not marked here. */
  markScored?: bigint;
}

/**
 * What differs between a car alone and a batch in the save's builder (saveSql): where the cars come from, the upserts'
 * order and how the vehicle rows are updated. Every rule is written once, in saveSql.
 */
interface SaveForm {
  /** CTEs ahead of `input`, each ending in a comma (the batch's `cars`); empty for a car alone. */
  cars: Prisma.Sql;
  /** Each input row's scoredAt, and what the rows (r) are joined to for it. */
  scoredAt: Prisma.Sql;
  join: Prisma.Sql;
  /**
   * How the upserts order their rows, which is the order they lock them in (the same for every statement, so no two
   * deadlock): (vehicle, component) for a batch; a car alone's rows come sorted by component already (saveOneSql).
   */
  order: Prisma.Sql;
  /** The condition on "vehicleId" that picks the cars' predictions (`previous`). */
  ofCars: Prisma.Sql;
  /** The statement's last CTEs: they update the vehicle rows, the worst risk (WORST_SET, WORST_CHANGED) and the mark. */
  vehicles: Prisma.Sql;
}

/** The vehicle's worst risk and its earliest due date at it (w: the car's `worst` row), and when they change. */
const WORST_SET = Prisma.sql`"worstRisk" = w.risk, "worstDueAt" = w."dueAt"`;
const WORST_CHANGED = Prisma.sql`(v."worstRisk", v."worstDueAt") IS DISTINCT FROM (w.risk, w."dueAt")`;

/**
 * save for a car alone: the car's values are parameters, so the text is one fixed text per mark (prepared once per
 * connection, marked or not, the mark chosen here), with no `cars` CTE and one UPDATE of the vehicle. No lock ahead
 * of the UPDATE: a statement that updates one vehicle row takes its lock in the UPDATE, and locking it first would
 * write the lock into the row's page on every score, even one that leaves the row as it was.
 */
export function saveOneSql({ vehicleId, rows, scoredAt, markScored }: SaveCall): Prisma.Sql {
  const mark =
    markScored === undefined
      ? { set: Prisma.empty, when: WORST_CHANGED }
      : { set: Prisma.sql`,${markScoredValues(markScored, scoredAt)}`, when: Prisma.sql`true` };
  // In the Component enum's order (the order a batch's ORDER BY gives) without a sort in the statement: the upserts
  // take the rows in the order the jsonb array holds them (a plain scan of jsonb_to_recordset, no sort node).
  const sorted = [...rows].sort((a, b) => COMPONENTS.indexOf(a.component) - COMPONENTS.indexOf(b.component));
  return saveSql(
    sorted.map((row) => ({ vehicleId, ...row })),
    {
      cars: Prisma.empty,
      order: Prisma.empty,
      scoredAt: Prisma.sql`${scoredAt}::timestamptz`,
      join: Prisma.empty,
      ofCars: Prisma.sql`= ${vehicleId}::uuid`,
      vehicles: Prisma.sql`
    update_vehicle AS (
      UPDATE vehicles v SET ${WORST_SET}${mark.set}
      FROM (SELECT) AS one LEFT JOIN worst w ON true
      WHERE v.id = ${vehicleId}::uuid AND ${mark.when}
    )`,
    },
  );
}

/**
 * save for several cars in one statement, a jsonb row per car. Locks in one order, so two batches (two workers) or a
 * batch and ingestion's multi-car version UPDATE cannot deadlock: predictions and states are upserted sorted by
 * (vehicle, component), and the vehicle rows are locked sorted by id (FOR NO KEY UPDATE, as the UPDATE itself takes)
 * before they are updated. The UPDATE is split in two, cars marked here and cars not: a row updated by two parts of
 * one statement keeps only one update, so the two take disjoint cars; the marked ones use markScoredSet itself with
 * the car's columns for values.
 */
export function saveManySql(calls: readonly SaveCall[]): Prisma.Sql {
  const sorted = [...calls].sort((a, b) => (a.vehicleId < b.vehicleId ? -1 : a.vehicleId > b.vehicleId ? 1 : 0));
  const cars = sorted.map(({ vehicleId, scoredAt, markScored }) => ({
    vehicleId,
    scoredAt,
    mark: markScored === undefined ? null : markScored.toString(),
  }));
  return saveSql(
    sorted.flatMap(({ vehicleId, rows }) => rows.map((row) => ({ vehicleId, ...row }))),
    {
      cars: Prisma.sql`cars AS (
      SELECT c.* FROM jsonb_to_recordset(${JSON.stringify(cars)}::jsonb) AS c("vehicleId" uuid, "scoredAt" timestamptz, mark bigint)
    ),`,
      scoredAt: Prisma.sql`c."scoredAt"`,
      join: Prisma.sql`JOIN cars c ON c."vehicleId" = r."vehicleId"`,
      order: Prisma.sql`ORDER BY "vehicleId", component`,
      ofCars: Prisma.sql`IN (SELECT "vehicleId" FROM cars)`,
      vehicles: Prisma.sql`
    locked AS MATERIALIZED (
      SELECT id FROM vehicles WHERE id IN (SELECT "vehicleId" FROM cars) ORDER BY id FOR NO KEY UPDATE
    ),
    update_unmarked AS (
      UPDATE vehicles v SET ${WORST_SET}
      FROM locked l JOIN cars c ON c."vehicleId" = l.id LEFT JOIN worst w ON w."vehicleId" = l.id
      WHERE v.id = l.id AND c.mark IS NULL AND ${WORST_CHANGED}
    ),
    update_marked AS (
      UPDATE vehicles v SET ${WORST_SET},${markScoredSet(Prisma.sql`c.mark`, Prisma.sql`c."scoredAt"`)}
      FROM locked l JOIN cars c ON c."vehicleId" = l.id LEFT JOIN worst w ON w."vehicleId" = l.id
      WHERE v.id = l.id AND c.mark IS NOT NULL
    )`,
    },
  );
}

/**
 * One statement, so one transaction: the data-modifying CTEs upsert the predictions and the states, keep each
 * vehicle's worst risk and its due date (what the staff dashboard ranks by) in step with them, and the final INSERT
 * adds a history snapshot per component whose prediction changed (risk, health by HEALTH_STEP, due date by
 * DUE_STEP_MS) or whose last snapshot is SNAPSHOT_EVERY_MS old. Every part of one statement sees the rows as they
 * were before it, so `previous` is the prediction this score replaces; deciding in the same statement leaves no gap
 * for another score of the car in between. The rows travel as one jsonb parameter, each with its car (undefined
 * values drop out as they did through Prisma's Json). Every rule is decided per car, exactly as for a car alone:
 * `previous`, the newest snapshot and the vehicle row are looked up by (vehicle, component) and by vehicle.
 */
function saveSql(rows: readonly (SaveRow & { vehicleId: string })[], form: SaveForm): Prisma.Sql {
  return Prisma.sql`
    WITH ${form.cars}
    input AS (
      SELECT r.*, ${form.scoredAt} AS "scoredAt" FROM ${ASYNC_COMMIT}, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
        "vehicleId" uuid, component "Component", health int, risk "Risk", "dueAt" timestamptz, "dueOdometerKm" double precision,
        confidence jsonb, evidence jsonb, findings jsonb, explanation text, "modelVersion" text,
        state jsonb, summary jsonb, "summaryVersion" text, "closedUntil" timestamptz)
      ${form.join}
    ),
    previous AS (
      SELECT "vehicleId", component, health, risk, "dueAt" FROM predictions WHERE "vehicleId" ${form.ofCars}
    ),
    upsert_predictions AS (
      INSERT INTO predictions AS p (id, "vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
                                    findings, explanation, "modelVersion", "scoredAt")
      SELECT gen_random_uuid(), "vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
             findings, explanation, "modelVersion", "scoredAt"
      FROM input ${form.order}
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
      SELECT "vehicleId", component, coalesce(state, 'null'::jsonb), summary, "summaryVersion", "closedUntil", now()
      FROM input ${form.order}
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
    -- Each car's predictions as this statement leaves them: the scored components, and any it did not score as they were.
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
    -- Each vehicle's worst risk and earliest due date at it, which the attention list ranks by (vehicles.worstRisk).
    -- Written only when they change, so most scores add no row version to the vehicle; when the save marks the
    -- score too, always, in the same UPDATE (markScoredSet). The outer join: a car with no prediction at all has no
    -- worst risk, and is still marked.${form.vehicles}
    INSERT INTO prediction_snapshots ("vehicleId", component, health, risk, "dueAt", "dueOdometerKm", confidence, evidence,
                                      findings, explanation, "modelVersion", "scoredAt")
    SELECT i."vehicleId", i.component, i.health, i.risk, i."dueAt", i."dueOdometerKm", i.confidence, i.evidence,
           i.findings, i.explanation, i."modelVersion", i."scoredAt"
    FROM input i
    LEFT JOIN previous p ON p."vehicleId" = i."vehicleId" AND p.component = i.component
    -- The newest snapshot per component from the (vehicleId, component, scoredAt) index, not a scan of the car's history.
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
