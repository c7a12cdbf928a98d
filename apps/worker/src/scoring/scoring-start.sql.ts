import { Prisma } from '#app/database';
import type { ComponentName, VehicleProfile } from '#app/maintenance';
import { ACTIVE_STATUSES } from '#app/notifications';

// scoringStart's one SQL text, for a car alone and for a batch of cars (PredictionStore.scoringStart).

/** A row of scoringStart as pg returns it (bigint columns come as text), with its car's place in the call (`ord`). */
export interface StartRow {
  ord: number;
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

/** One car's scoringStart: its id and the model-state row versions its worker holds. */
export interface StartQuery {
  vehicleId: string;
  heldKeys: string[];
}

/** scoringStart for a car alone: its one query row from parameters (a fixed text, prepared once per connection). */
export function scoringStartOneSql({ vehicleId, heldKeys }: StartQuery): Prisma.Sql {
  // A subquery of parameters only: the planner pulls it up, so the plan is the one the car's own ids would give.
  return scoringStartSql(Prisma.sql`(SELECT 0 AS ord, ${vehicleId}::uuid AS id, ${heldKeys}::text[] AS held) AS q`);
}

/**
 * scoringStart for several cars in one statement, a jsonb row per car. The held keys are compared per car: one
 * batched save writes several cars' rows in one transaction with one now(), so two cars' rows of a component can carry
 * the same key. One snapshot for all: each car's rows are as consistent as when read alone.
 */
export function scoringStartManySql(queries: readonly StartQuery[]): Prisma.Sql {
  const cars = queries.map(({ vehicleId, heldKeys }, ord) => ({ ord, id: vehicleId, held: heldKeys }));
  return scoringStartSql(Prisma.sql`jsonb_to_recordset(${JSON.stringify(cars)}::jsonb) AS q(ord int, id uuid, held text[])`);
}

/**
 * The vehicle and its models' saved states, one row per model-state row (one with no component for a car with
 * none), for the cars of `cars` (a FROM item named q with columns ord int, id uuid, held text[]). Rows come with their car's
 * `ord`; a car that does not exist has none. State and summary come as text (parsed by the caller, as pg's jsonb parser
 * would), so what the worker holds is what was sent.
 */
function scoringStartSql(cars: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT q.ord, v.make, v.model, v.year, v."fuelType"::text AS "fuelType", v."oilServiceIntervalKm",
           v."oilServiceIntervalMonths", v."telemetryVersion", v."lastScoredAt", v."lateSampleTs", a."hasActiveReminder",
           s.component::text AS component, k.key, coalesce(k.key = ANY(q.held), false) AS held,
           CASE WHEN k.key = ANY(q.held) THEN NULL ELSE s.state::text END AS state,
           CASE WHEN k.key = ANY(q.held) THEN NULL ELSE s.summary::text END AS summary,
           s."summaryVersion", s."closedUntil"
    FROM ${cars}
    JOIN vehicles v ON v.id = q.id
    -- Once per car (not per state row): the (vehicleId, status) index answers it.
    CROSS JOIN LATERAL (
      SELECT EXISTS (SELECT 1 FROM reminders r WHERE r."vehicleId" = q.id
                     AND r.status = ANY(${[...ACTIVE_STATUSES]}::"ReminderStatus"[])) AS "hasActiveReminder"
    ) a
    LEFT JOIN vehicle_model_states s ON s."vehicleId" = v.id
    -- The row version: the writing transaction (xmin) and updatedAt, so a key never names two contents.
    LEFT JOIN LATERAL (
      SELECT s.component::text || '/' || s.xmin::text || '/' || (extract(epoch FROM s."updatedAt") * 1000)::bigint AS key
    ) k ON s.component IS NOT NULL`;
}
