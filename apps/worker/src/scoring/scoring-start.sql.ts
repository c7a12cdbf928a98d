import { Prisma } from '#app/database';
import type { ComponentName, VehicleProfile } from '#app/maintenance';
import { ACTIVE_STATUSES } from '#app/notifications';

// scoringStart's one builder, for a car alone and for a batch of cars (PredictionStore.scoringStart).

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

/** A row of the batched scoringStart: with its car's place in the call. */
export interface StartManyRow extends StartRow {
  ord: number;
}

/** One car's scoringStart: its id and the model-state row versions its worker holds. */
export interface StartQuery {
  vehicleId: string;
  heldKeys: string[];
}

/**
 * What differs between a car alone and a batch in scoringStart's builder (scoringStartSql): the car's place in a batch
 * (`ord`, a first column ending in a comma; none for a car alone), its held keys, whether it has an active reminder
 * (activeReminder), and the FROM items and condition that pick the vehicles (v).
 */
interface StartForm {
  ord: Prisma.Sql;
  held: Prisma.Sql;
  hasActiveReminder: Prisma.Sql;
  from: Prisma.Sql;
  where: Prisma.Sql;
}

/** Whether the car `vehicleId` has a reminder in an ACTIVE_STATUSES status: the (vehicleId, status) index answers it. */
const activeReminder = (vehicleId: Prisma.Sql): Prisma.Sql =>
  Prisma.sql`EXISTS (SELECT 1 FROM reminders r WHERE r."vehicleId" = ${vehicleId}
                     AND r.status = ANY(${[...ACTIVE_STATUSES]}::"ReminderStatus"[]))`;

/**
 * scoringStart for a car alone: the vehicle by its id, its values as parameters (a fixed text, prepared once per
 * connection). The reminder check is uncorrelated (the id is a parameter), so evaluated once.
 */
export function scoringStartOneSql({ vehicleId, heldKeys }: StartQuery): Prisma.Sql {
  return scoringStartSql({
    ord: Prisma.empty,
    held: Prisma.sql`${heldKeys}::text[]`,
    hasActiveReminder: activeReminder(Prisma.sql`${vehicleId}::uuid`),
    from: Prisma.sql`vehicles v`,
    where: Prisma.sql`WHERE v.id = ${vehicleId}::uuid`,
  });
}

/**
 * scoringStart for several cars in one statement, a jsonb row per car. The held keys are compared per car: one
 * batched save writes several cars' rows in one transaction with one now(), so two cars' rows of a component can carry
 * the same key. One snapshot for all: each car's rows are as consistent as when read alone. The reminder check is
 * made once per car (not per state row).
 */
export function scoringStartManySql(queries: readonly StartQuery[]): Prisma.Sql {
  const cars = queries.map(({ vehicleId, heldKeys }, ord) => ({ ord, id: vehicleId, held: heldKeys }));
  return scoringStartSql({
    ord: Prisma.sql`q.ord,`,
    held: Prisma.sql`q.held`,
    hasActiveReminder: Prisma.sql`a."hasActiveReminder"`,
    from: Prisma.sql`jsonb_to_recordset(${JSON.stringify(cars)}::jsonb) AS q(ord int, id uuid, held text[])
    JOIN vehicles v ON v.id = q.id
    CROSS JOIN LATERAL (SELECT ${activeReminder(Prisma.sql`q.id`)} AS "hasActiveReminder") a`,
    where: Prisma.empty,
  });
}

/**
 * The vehicle and its models' saved states, one row per model-state row (one with no component for a car with
 * none), for the vehicles `form` picks. A batch's rows come with their car's `ord`; a car that does not exist has none. State
 * and summary come as text (parsed by the caller, as pg's jsonb parser would), so what the worker holds is what was
 * sent.
 */
function scoringStartSql({ ord, held, hasActiveReminder, from, where }: StartForm): Prisma.Sql {
  return Prisma.sql`
    SELECT ${ord} v.make, v.model, v.year, v."fuelType"::text AS "fuelType", v."oilServiceIntervalKm",
           v."oilServiceIntervalMonths", v."telemetryVersion", v."lastScoredAt", v."lateSampleTs",
           ${hasActiveReminder} AS "hasActiveReminder",
           s.component::text AS component, k.key, coalesce(k.key = ANY(${held}), false) AS held,
           CASE WHEN k.key = ANY(${held}) THEN NULL ELSE s.state::text END AS state,
           CASE WHEN k.key = ANY(${held}) THEN NULL ELSE s.summary::text END AS summary,
           s."summaryVersion", s."closedUntil"
    FROM ${from}
    LEFT JOIN vehicle_model_states s ON s."vehicleId" = v.id
    -- The row version: the writing transaction (xmin) and updatedAt, so a key never names two contents.
    LEFT JOIN LATERAL (
      SELECT s.component::text || '/' || s.xmin::text || '/' || (extract(epoch FROM s."updatedAt") * 1000)::bigint AS key
    ) k ON s.component IS NOT NULL
    ${where}`;
}
