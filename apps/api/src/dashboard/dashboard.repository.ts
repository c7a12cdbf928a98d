import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService, type Risk } from '#app/database';
import type { CenterScope } from '../vehicles/vehicle.repository.js';
import type { AttentionComponentView, AttentionItemView, SilentVehicleView } from './dashboard.model.js';

export interface RankedVehicle {
  vehicleId: string;
  risk: Risk;
  dueAt: Date | null;
}

/** A listed car as attentionDetails reads it; `components` is JSON built by Postgres. */
type AttentionRow = Pick<AttentionItemView, 'vin' | 'make' | 'model' | 'year' | 'plate' | 'odometerKm'> & {
  vehicleId: string;
  lastTelemetryAt: Date | null;
  lastScoredAt: Date | null;
  ownerName: string;
  ownerPhone: string | null;
  ownerEmail: string;
  components: AttentionComponentView[];
};

/** Which cars the ranking leaves out (the call list's held ones) or keeps only (to list those). */
export interface AttentionFilter {
  kind: 'except' | 'only';
  vehicleIds: readonly string[];
}

/** Center-wide reads for staff. Every method takes the center: there is no fleet-wide query here. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Ranks in Postgres (the Risk enum compares in its declared order OK < ... < CRITICAL), so a center
   * with thousands of cars sends only the `limit` that will be shown. Only predictions at or above the
   * minimum are read: a vehicle qualifies exactly when one of them is, and its worst risk and earliest
   * due date at that risk are among them. At 10,000 cars that is a few % of the rows, found through
   * predictions(risk, vehicleId, dueAt) without touching the wide rows (npm run bench:api -- --fleet).
   * `filter` leaves out the cars the call list holds (or keeps only those); `limit` null ranks them all
   * (to count them).
   */
  async rankForAttention(scope: CenterScope, minimumRisk: Risk, filter: AttentionFilter, limit: number | null): Promise<RankedVehicle[]> {
    const ids = [...filter.vehicleIds];
    const idFilter =
      filter.kind === 'only' ? Prisma.sql`AND "vehicleId" = ANY(${ids}::uuid[])` : Prisma.sql`AND NOT ("vehicleId" = ANY(${ids}::uuid[]))`;
    return this.prisma.$queryRaw<RankedVehicle[]>(Prisma.sql`
      WITH scored AS (
        SELECT p."vehicleId", p.risk, p."dueAt", max(p.risk) OVER (PARTITION BY p."vehicleId") AS worst
          FROM predictions p
          JOIN vehicles v ON v.id = p."vehicleId"
         WHERE v."serviceCenterId" = ${scope.serviceCenterId}::uuid
           AND p.risk >= ${minimumRisk}::"Risk"
      )
      SELECT "vehicleId", worst::text AS risk, min("dueAt") AS "dueAt"
        FROM scored
       WHERE risk = worst ${idFilter}
       GROUP BY "vehicleId", worst
       ORDER BY worst DESC, min("dueAt") ASC NULLS LAST, "vehicleId"
       ${limit === null ? Prisma.empty : Prisma.sql`LIMIT ${limit}`}`);
  }

  /**
   * The ranked cars with their owners and worst components, in the ranking's order: one statement, the
   * components built as JSON by Postgres. Read through Prisma's vehicle.findMany with owner and predictions this
   * was three queries and most of the request's time (Prisma's per-row work); the evidence (kilobytes per
   * prediction) stays in Postgres either way.
   */
  async attentionDetails(scope: CenterScope, ranked: readonly RankedVehicle[]): Promise<Omit<AttentionItemView, 'call'>[]> {
    if (ranked.length === 0) return [];
    const rows = await this.prisma.$queryRaw<AttentionRow[]>(Prisma.sql`
      SELECT v.id AS "vehicleId", v.vin, v.make, v.model, v.year, v.plate, v."odometerKm", v."lastTelemetryAt", v."lastScoredAt",
             u.name AS "ownerName", u.phone AS "ownerPhone", u.email AS "ownerEmail",
             (SELECT coalesce(json_agg(json_build_object(
                       'component', p.component, 'risk', p.risk, 'health', p.health, 'explanation', p.explanation,
                       'dueAt', p."dueAt", 'dueOdometerKm', p."dueOdometerKm", 'findings', p.findings)), '[]')
                FROM predictions p
               WHERE p."vehicleId" = v.id AND p.risk = r.risk) AS components
        FROM unnest(${ranked.map((row) => row.vehicleId)}::uuid[], ${ranked.map((row) => row.risk)}::"Risk"[]) AS r(id, risk)
        -- The center again: the ranking above is scoped, and so is every row read with its ids.
        JOIN vehicles v ON v.id = r.id AND v."serviceCenterId" = ${scope.serviceCenterId}::uuid
        JOIN users u ON u.id = v."ownerId"`);
    const byId = new Map(rows.map((row) => [row.vehicleId, row]));
    return ranked.flatMap((rank) => {
      const row = byId.get(rank.vehicleId);
      if (!row) return [];
      return [
        {
          vin: row.vin,
          make: row.make,
          model: row.model,
          year: row.year,
          plate: row.plate,
          odometerKm: row.odometerKm,
          owner: { name: row.ownerName, phone: row.ownerPhone, email: row.ownerEmail },
          risk: rank.risk,
          dueAt: rank.dueAt?.toISOString() ?? null,
          lastTelemetryAt: row.lastTelemetryAt?.toISOString() ?? null,
          lastScoredAt: row.lastScoredAt?.toISOString() ?? null,
          // json_build_object writes timestamps as Postgres text: the API's answers carry JavaScript's ISO form.
          components: row.components.map((component) => ({
            ...component,
            dueAt: component.dueAt === null ? null : new Date(component.dueAt).toISOString(),
          })),
        },
      ];
    });
  }

  /** Vehicles counted by their worst risk; a vehicle without predictions is counted under null. */
  async vehiclesByWorstRisk(scope: CenterScope): Promise<{ risk: Risk | null; count: number }[]> {
    // Grouped after the join to the center's vehicles: grouping every center's predictions first (as this
    // did) costs the whole table whatever the center's size.
    return this.prisma.$queryRaw<{ risk: Risk | null; count: number }[]>(Prisma.sql`
      SELECT w.risk::text AS risk, count(*)::int AS count
        FROM (SELECT v.id, max(p.risk) AS risk
                FROM vehicles v
                LEFT JOIN predictions p ON p."vehicleId" = v.id
               WHERE v."serviceCenterId" = ${scope.serviceCenterId}::uuid
               GROUP BY v.id) w
       GROUP BY w.risk`);
  }

  async vehiclesReportingSince(scope: CenterScope, since: Date): Promise<number> {
    return this.prisma.vehicle.count({ where: { serviceCenterId: scope.serviceCenterId, lastTelemetryAt: { gte: since } } });
  }

  /** Rejections attributed to the center, or to one of its vehicles. */
  async rejectedSince(scope: CenterScope, since: Date): Promise<number> {
    return this.prisma.rejectedMessage.count({
      where: {
        receivedAt: { gte: since },
        OR: [{ serviceCenterId: scope.serviceCenterId }, { vehicle: { serviceCenterId: scope.serviceCenterId } }],
      },
    });
  }

  /**
   * Vehicles that sent nothing usable since `since` but whose messages were refused: without this list a
   * car whose every message is refused (a wrong clock, a broken dongle) would simply go quiet.
   */
  async silentWithRejections(scope: CenterScope, since: Date, limit: number): Promise<SilentVehicleView[]> {
    const rows = await this.prisma.$queryRaw<
      {
        vin: string;
        make: string;
        model: string;
        plate: string | null;
        lastTelemetryAt: Date | null;
        rejected: bigint;
        reason: string;
        detail: string;
        lastRejectedAt: Date;
      }[]
    >(Prisma.sql`
      SELECT v.vin, v.make, v.model, v.plate, v."lastTelemetryAt", r.rejected, r.reason, r.detail, r."lastRejectedAt"
        FROM vehicles v
        JOIN LATERAL (
          SELECT count(*) OVER () AS rejected, m.reason, m.detail, m."receivedAt" AS "lastRejectedAt"
            FROM rejected_messages m
           WHERE m."vehicleId" = v.id AND m."receivedAt" >= ${since}
           ORDER BY m."receivedAt" DESC
           LIMIT 1
        ) r ON true
       WHERE v."serviceCenterId" = ${scope.serviceCenterId}::uuid
         AND (v."lastTelemetryAt" IS NULL OR v."lastTelemetryAt" < ${since})
       ORDER BY r."lastRejectedAt" DESC
       LIMIT ${limit}`);
    return rows.map((row) => ({
      vin: row.vin,
      make: row.make,
      model: row.model,
      plate: row.plate,
      lastTelemetryAt: row.lastTelemetryAt?.toISOString() ?? null,
      rejectedLast24h: Number(row.rejected),
      lastReason: row.reason,
      lastDetail: row.detail,
      lastRejectedAt: row.lastRejectedAt.toISOString(),
    }));
  }
}
