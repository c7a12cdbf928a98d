import { Injectable } from '@nestjs/common';
import { type Component, Prisma, PrismaService, type Risk } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import type { JsonText } from '../common/json-text.js';
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

/** A row of currentWithState: the vehicle's scoring state, and one prediction (all null for a car without any). */
type CurrentRow = { telemetryVersion: string; scoredVersion: string; lastScoredAt: Date | null } & (
  CurrentComponent | { [K in keyof CurrentComponent]: null }
);

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
 * Reads of one vehicle's predictions. Takes a VehicleInScope, so the tenant check happened before. On the pg pool
 * under Prisma, as the worker's PredictionStore: these are the per-car reads of every dashboard and owner app page.
 * The rows' JSON is built by Postgres and passed through as text: parsing the JSON columns (evidence, findings) into
 * objects and serialising them again for the answer, with their timestamps, was most of the API process's CPU for
 * these routes and most of its garbage (a CPU profile under npm run bench:api -- --fleet: pg's parseRow, parseDate,
 * the row mapping and express's stringify). Before that, Prisma's per-row work on the JSON columns: health 6.3 ms
 * (two Prisma queries) -> 1.7 ms (one statement on the pool), a history page 6.5 -> 2.2 ms.
 */
@Injectable()
export class PredictionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The vehicle's scoring state and its current predictions, in one statement. */
  async currentWithState(vehicle: VehicleInScope): Promise<{ state: ScoringState; components: CurrentComponent[] }> {
    const rows = await this.prisma.poolRows<CurrentRow>(Prisma.sql`
      SELECT v."telemetryVersion", v."scoredVersion", v."lastScoredAt",
             p.component::text AS component, p.risk::text AS risk, p.health, ${isoOf(Prisma.sql`p."dueAt"`)} AS "dueAt",
             ${isoOf(Prisma.sql`p."scoredAt"`)} AS "scoredAt",
             ${componentJson('p', { middle: Prisma.sql`, 'evidence', p.evidence, 'findings', p.findings` })}::text AS json
        FROM vehicles v
        LEFT JOIN predictions p ON p."vehicleId" = v.id
       WHERE v.id = ${vehicle.id}::uuid`);
    const first = rows[0];
    if (first === undefined) throw new Error(`vehicle ${vehicle.id} vanished after its scope check`);
    const components: CurrentComponent[] = [];
    for (const { component, risk, health, dueAt, scoredAt, json } of rows) {
      if (component !== null) components.push({ component, risk, health, dueAt, scoredAt, json });
    }
    return {
      // bigint columns come from pg as text.
      state: { telemetryVersion: BigInt(first.telemetryVersion), scoredVersion: BigInt(first.scoredVersion), lastScoredAt: first.lastScoredAt },
      components,
    };
  }

  /** Newest first, at most `limit`, as a JSON array; `truncated` when more match. */
  async snapshots(vehicle: VehicleInScope, filter: SnapshotFilter): Promise<{ items: JsonText<HealthSnapshotView[]>; truncated: boolean }> {
    const conditions = [Prisma.sql`"vehicleId" = ${vehicle.id}::uuid`];
    if (filter.component !== undefined) conditions.push(Prisma.sql`component = ${filter.component}::"Component"`);
    if (filter.from !== undefined) conditions.push(Prisma.sql`"scoredAt" >= ${filter.from}`);
    if (filter.to !== undefined) conditions.push(Prisma.sql`"scoredAt" < ${filter.to}`);
    // Left in Postgres unless asked for: evidence 1.0 KB stored (2.4 KB of JSON) per snapshot, 260 KB for a page of
    // 100; findings ~760 bytes of JSON each, 76 % of a page without evidence (100 -> ~24 KB at 10,000 cars).
    const trailing = Prisma.sql`${filter.withFindings ? Prisma.sql`, 'findings', s.findings` : Prisma.empty}
      ${filter.withEvidence ? Prisma.sql`, 'evidence', s.evidence` : Prisma.empty}`;
    // In the order of prediction_snapshots(vehicleId, scoredAt DESC, id DESC): read from the index and stopped at
    // `limit + 1` rows (the last only says whether more follow).
    const [row] = await this.prisma.poolRows<{ items: string; rows: number }>(Prisma.sql`
      SELECT coalesce(json_agg(${componentJson('s', { leading: Prisma.sql`'id', s.id::text,`, trailing })} ORDER BY s.n)
                        FILTER (WHERE s.n <= ${filter.limit}), '[]')::text AS items,
             count(*)::int AS rows
        FROM (SELECT *, row_number() OVER (ORDER BY "scoredAt" DESC, id DESC) AS n
                FROM (SELECT * FROM prediction_snapshots
                       WHERE ${Prisma.join(conditions, ' AND ')}
                       ORDER BY "scoredAt" DESC, id DESC
                       LIMIT ${filter.limit + 1}) page) s`);
    return { items: row?.items ?? '[]', truncated: (row?.rows ?? 0) > filter.limit };
  }
}
