import { Injectable } from '@nestjs/common';
import { type Component, Prisma, PrismaService, type Risk } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
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

/** A prediction or snapshot row as pg returns it: enums as text, JSON parsed, timestamps as Dates. */
interface PredictionRow {
  component: Component;
  health: number;
  risk: Risk;
  dueAt: Date | null;
  dueOdometerKm: number | null;
  confidence: Prisma.JsonValue;
  evidence: Prisma.JsonValue;
  findings: Prisma.JsonValue;
  explanation: string;
  modelVersion: string;
  scoredAt: Date;
}

/** A row of currentWithState: the vehicle's scoring state, and one prediction (all null for a car without any). */
type CurrentRow = { telemetryVersion: string; scoredVersion: string; lastScoredAt: Date | null } & (
  PredictionRow | { [K in keyof PredictionRow]: null }
);

type SnapshotRow = Omit<PredictionRow, 'evidence' | 'findings'> & { id: string; evidence?: Prisma.JsonValue; findings?: Prisma.JsonValue };

/**
 * Reads of one vehicle's predictions. Takes a VehicleInScope, so the tenant check happened before. On the pg pool
 * under Prisma, as the worker's PredictionStore: these are the per-car reads of every dashboard and owner app page,
 * and Prisma's per-row work on their JSON columns cost the API process more than the rest of the read: CPU per call
 * at 10,000 cars, the two ways interleaved in one process, health 6.3 ms (two Prisma queries) -> 1.7 ms (one
 * statement), a history page 6.5 -> 2.2 ms.
 */
@Injectable()
export class PredictionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The vehicle's scoring state and its current predictions, in one statement. */
  async currentWithState(vehicle: VehicleInScope): Promise<{ state: ScoringState; components: ComponentHealthView[] }> {
    const rows = await this.prisma.poolRows<CurrentRow>(Prisma.sql`
      SELECT v."telemetryVersion", v."scoredVersion", v."lastScoredAt",
             p.component::text AS component, p.health, p.risk::text AS risk, p."dueAt", p."dueOdometerKm", p.confidence, p.evidence,
             p.findings, p.explanation, p."modelVersion", p."scoredAt"
        FROM vehicles v
        LEFT JOIN predictions p ON p."vehicleId" = v.id
       WHERE v.id = ${vehicle.id}::uuid`);
    const first = rows[0];
    if (first === undefined) throw new Error(`vehicle ${vehicle.id} vanished after its scope check`);
    const components: ComponentHealthView[] = [];
    for (const row of rows) if (row.component !== null) components.push(toComponentView(row));
    return {
      // bigint columns come from pg as text.
      state: { telemetryVersion: BigInt(first.telemetryVersion), scoredVersion: BigInt(first.scoredVersion), lastScoredAt: first.lastScoredAt },
      components,
    };
  }

  /** Newest first; `limit + 1` rows so the caller can tell truncation. */
  async snapshots(vehicle: VehicleInScope, filter: SnapshotFilter): Promise<HealthSnapshotView[]> {
    const conditions = [Prisma.sql`"vehicleId" = ${vehicle.id}::uuid`];
    if (filter.component !== undefined) conditions.push(Prisma.sql`component = ${filter.component}::"Component"`);
    if (filter.from !== undefined) conditions.push(Prisma.sql`"scoredAt" >= ${filter.from}`);
    if (filter.to !== undefined) conditions.push(Prisma.sql`"scoredAt" < ${filter.to}`);
    // In the order of prediction_snapshots(vehicleId, scoredAt DESC, id DESC): read from the index and stopped at the page.
    const rows = await this.prisma.poolRows<SnapshotRow>(Prisma.sql`
      SELECT id::text AS id, component::text AS component, health, risk::text AS risk, "dueAt", "dueOdometerKm", confidence,
             explanation, "modelVersion", "scoredAt"
             -- Left in Postgres unless asked for: evidence 1.0 KB stored (2.4 KB of JSON) per snapshot, 260 KB for a page
             -- of 100; findings ~760 bytes of JSON each, 76 % of a page without evidence (100 -> ~24 KB at 10,000 cars).
             ${filter.withFindings ? Prisma.sql`, findings` : Prisma.empty}
             ${filter.withEvidence ? Prisma.sql`, evidence` : Prisma.empty}
        FROM prediction_snapshots
       WHERE ${Prisma.join(conditions, ' AND ')}
       ORDER BY "scoredAt" DESC, id DESC
       LIMIT ${filter.limit + 1}`);
    return rows.map(toSnapshotView);
  }
}

function toSnapshotView(row: SnapshotRow): HealthSnapshotView {
  const { evidence, findings, ...view } = toComponentView({ ...row, evidence: row.evidence ?? null, findings: row.findings ?? null });
  return {
    id: row.id,
    ...view,
    ...(row.findings === undefined ? {} : { findings }),
    ...(row.evidence === undefined ? {} : { evidence }),
  };
}

export function toComponentView(row: PredictionRow): ComponentHealthView {
  return {
    component: row.component,
    health: row.health,
    risk: row.risk,
    dueAt: row.dueAt?.toISOString() ?? null,
    dueOdometerKm: row.dueOdometerKm,
    confidence: row.confidence,
    evidence: row.evidence,
    findings: row.findings,
    explanation: row.explanation,
    modelVersion: row.modelVersion,
    scoredAt: row.scoredAt.toISOString(),
  };
}
