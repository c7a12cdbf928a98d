import { Injectable } from '@nestjs/common';
import { type Component, Prisma, PrismaService, type Risk } from '#app/database';
import type { JsonText } from '../common/json-text.js';
import type { VehicleScope } from '../common/vehicle-scope.model.js';
import { vehicleInScopeSql } from '../vehicles/vehicle.repository.js';
import type { ComponentHealthView, HealthSnapshotView } from './vehicle-health.model.js';

export interface ScoringState {
  telemetryVersion: bigint;
  scoredVersion: bigint;
  lastScoredAt: Date | null;
}

export interface SnapshotFilter {
  component?: Component;
  from?: Date;
  to?: Date;
  limit: number;
  /** Each snapshot's evidence too: kilobytes each, two thirds of a page, and no list or chart draws it. */
  withEvidence: boolean;
  /** Each snapshot's structured findings too: ~760 bytes each, three quarters of a page without the evidence. */
  withFindings: boolean;
}

/** A current prediction: what the health answer ranks and sums up by, and the component as JSON text built by Postgres. */
export interface CurrentComponent {
  component: Component;
  risk: Risk;
  health: number;
  dueAt: string | null;
  scoredAt: string;
  json: JsonText<ComponentHealthView>;
}

/** A row of currentWithState: the vehicle and its scoring state, and one prediction (all null for a car without any). */
type CurrentRow = { vin: string; telemetryVersion: string; scoredVersion: string; lastScoredAt: Date | null } & (
  CurrentComponent | { [K in keyof CurrentComponent]: null }
);

/** The columns of a history page without evidence and findings, which are added only when asked for. */
const PAGE_COLUMNS = Prisma.sql`ps.id, ps.component, ps.health, ps.risk, ps."dueAt", ps."dueOdometerKm", ps.confidence, ps.explanation,
  ps."modelVersion", ps."scoredAt"`;

/**
 * A timestamp as JavaScript's toISOString() writes it (the API's form), in UTC with milliseconds: json_build_object
 * would write Postgres' own text ("2026-12-07 01:00:00+00").
 */
const isoOf = (column: Prisma.Sql): Prisma.Sql => Prisma.sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A prediction's or snapshot's fields as a JSON object, in the order of ComponentHealthView (the evidence and
 * findings of a current prediction after its confidence); a snapshot's id first and its optional fields last.
 */
const componentJson = (alias: string, parts: { leading?: Prisma.Sql; middle?: Prisma.Sql; trailing?: Prisma.Sql }): Prisma.Sql => {
  const c = (column: string): Prisma.Sql => Prisma.raw(`${alias}."${column}"`);
  return Prisma.sql`json_build_object(${parts.leading ?? Prisma.empty} 'component', ${c('component')}, 'health', ${c('health')},
    'risk', ${c('risk')}, 'dueAt', ${isoOf(c('dueAt'))}, 'dueOdometerKm', ${c('dueOdometerKm')}, 'confidence', ${c('confidence')}
    ${parts.middle ?? Prisma.empty}, 'explanation', ${c('explanation')}, 'modelVersion', ${c('modelVersion')},
    'scoredAt', ${isoOf(c('scoredAt'))} ${parts.trailing ?? Prisma.empty})`;
};

/**
 * Reads of one vehicle's predictions, each in one statement that also checks the car against the caller's scope
 * (vehicleInScopeSql, as VehicleRepository.findInScope does): a car outside the scope and a VIN that does not exist
 * both come back as null. These are the per-car reads of every dashboard and owner app page, so the scope check
 * that used to be a statement of its own before each (a round trip, parsed and planned by Postgres, on every
 * request) is a join in the read. On the pg pool under Prisma, as the worker's PredictionStore, and prepared: their
 * texts are fixed (two scope kinds; the history's filters and includes), so Postgres plans each once per connection.
 * The rows' JSON is built by Postgres and passed through as text: parsing the JSON columns (evidence, findings) into
 * objects and serialising them again for the answer, with their timestamps, was most of the API process's CPU for
 * these routes and most of its garbage (a CPU profile under npm run bench:api -- --fleet: pg's parseRow, parseDate,
 * the row mapping and express's stringify). Before that, Prisma's per-row work on the JSON columns: health 6.3 ms
 * (two Prisma queries) -> 1.7 ms (one statement on the pool), a history page 6.5 -> 2.2 ms.
 */
@Injectable()
export class PredictionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The vehicle's scoring state and its current predictions; null when the VIN is not a car in the scope. */
  async currentWithState(scope: VehicleScope, vin: string): Promise<{ vin: string; state: ScoringState; components: CurrentComponent[] } | null> {
    const rows = await this.prisma.poolRowsPrepared<CurrentRow>(Prisma.sql`
      SELECT v.vin, v."telemetryVersion", v."scoredVersion", v."lastScoredAt",
             p.component::text AS component, p.risk::text AS risk, p.health, ${isoOf(Prisma.sql`p."dueAt"`)} AS "dueAt",
             ${isoOf(Prisma.sql`p."scoredAt"`)} AS "scoredAt",
             ${componentJson('p', { middle: Prisma.sql`, 'evidence', p.evidence, 'findings', p.findings` })}::text AS json
        FROM vehicles v
        LEFT JOIN predictions p ON p."vehicleId" = v.id
       WHERE ${vehicleInScopeSql(scope, vin)}`);
    const first = rows[0];
    if (first === undefined) return null;
    const components: CurrentComponent[] = [];
    for (const { component, risk, health, dueAt, scoredAt, json } of rows) {
      if (component !== null) components.push({ component, risk, health, dueAt, scoredAt, json });
    }
    return {
      vin: first.vin,
      // bigint columns come from pg as text.
      state: { telemetryVersion: BigInt(first.telemetryVersion), scoredVersion: BigInt(first.scoredVersion), lastScoredAt: first.lastScoredAt },
      components,
    };
  }

  /**
   * Newest first, at most `limit`, as a JSON array; `truncated` when more match. Null when the VIN is not a car in
   * the scope.
   */
  async snapshots(
    scope: VehicleScope,
    vin: string,
    filter: SnapshotFilter,
  ): Promise<{ vin: string; items: JsonText<HealthSnapshotView[]>; truncated: boolean } | null> {
    const conditions = [Prisma.sql`ps."vehicleId" = v.id`];
    if (filter.component !== undefined) conditions.push(Prisma.sql`ps.component = ${filter.component}::"Component"`);
    if (filter.from !== undefined) conditions.push(Prisma.sql`ps."scoredAt" >= ${filter.from}`);
    if (filter.to !== undefined) conditions.push(Prisma.sql`ps."scoredAt" < ${filter.to}`);
    // Left in Postgres unless asked for: evidence 1.0 KB stored (2.4 KB of JSON) per snapshot, 260 KB for a page of
    // 100; findings ~760 bytes of JSON each, 76 % of a page without evidence (100 -> ~24 KB at 10,000 cars).
    const columns = Prisma.sql`${PAGE_COLUMNS}${filter.withFindings ? Prisma.sql`, ps.findings` : Prisma.empty}${
      filter.withEvidence ? Prisma.sql`, ps.evidence` : Prisma.empty
    }`;
    const trailing = Prisma.sql`${filter.withFindings ? Prisma.sql`, 'findings', s.findings` : Prisma.empty}
      ${filter.withEvidence ? Prisma.sql`, 'evidence', s.evidence` : Prisma.empty}`;
    // In the order of prediction_snapshots(vehicleId, scoredAt DESC, id DESC), stopped at `limit + 1` rows (the last
    // only says whether more follow); only the page's columns are carried through the window and the aggregate.
    // An aggregate always gives one row, so the car in scope gives one row, and a car outside it none.
    const [row] = await this.prisma.poolRowsPrepared<{ vin: string; items: string; rows: number }>(Prisma.sql`
      SELECT v.vin, page.items, page.rows
        FROM vehicles v
        CROSS JOIN LATERAL (
          SELECT coalesce(json_agg(${componentJson('s', { leading: Prisma.sql`'id', s.id::text,`, trailing })} ORDER BY s.n)
                            FILTER (WHERE s.n <= ${filter.limit}), '[]')::text AS items,
                 count(*)::int AS rows
            FROM (SELECT *, row_number() OVER (ORDER BY newest."scoredAt" DESC, newest.id DESC) AS n
                    FROM (SELECT ${columns} FROM prediction_snapshots ps
                           WHERE ${Prisma.join(conditions, ' AND ')}
                           ORDER BY ps."scoredAt" DESC, ps.id DESC
                           LIMIT ${filter.limit + 1}) newest) s
        ) page
       WHERE ${vehicleInScopeSql(scope, vin)}`);
    return row === undefined ? null : { vin: row.vin, items: row.items, truncated: row.rows > filter.limit };
  }
}
