import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService, type Risk } from '#app/database';
import type { CenterScope } from '../vehicles/vehicle.repository.js';
import type { AttentionComponentView, AttentionItemView, SilentVehicleView } from './dashboard.model.js';

/** A listed car as attentionPage reads it; `components` is JSON built by Postgres. */
type AttentionRow = Pick<AttentionItemView, 'vin' | 'make' | 'model' | 'year' | 'plate' | 'odometerKm'> & {
  risk: Risk;
  dueAt: Date | null;
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
   * The first `limit` of the center's cars at or above the minimum risk, worst risk first and then the earliest
   * due date at it, with their owners and the components at that risk: one statement. The ranking reads the
   * worst risk and due date the worker keeps on each vehicle (vehicles.worstRisk, worstDueAt, written with the
   * predictions), in risk order from vehicles(serviceCenterId, worstRisk DESC) with the due date sorted within the
   * first risk levels: at 10,000 cars ~200 vehicle rows instead of ranking the ~2,500 predictions at SOON or worse on
   * every request (npm run bench:api -- --fleet). The components are built as JSON by Postgres (the evidence,
   * kilobytes each, stays there), and the page (~90 KB of JSON) is read on the pg pool under Prisma: through
   * Prisma's raw path it cost the API process 5.6 ms of CPU, on the pool 2.7 ms (the two interleaved at 10,000 cars).
   * `filter` leaves out the cars the call list holds (or keeps only those).
   */
  async attentionPage(scope: CenterScope, minimumRisk: Risk, filter: AttentionFilter, limit: number): Promise<Omit<AttentionItemView, 'call'>[]> {
    if (filter.kind === 'only' && filter.vehicleIds.length === 0) return [];
    const rows = await this.prisma.poolRows<AttentionRow>(Prisma.sql`
      SELECT v.vin, v.make, v.model, v.year, v.plate, v."odometerKm", v."worstRisk"::text AS risk, v."worstDueAt" AS "dueAt",
             v."lastTelemetryAt", v."lastScoredAt", u.name AS "ownerName", u.phone AS "ownerPhone", u.email AS "ownerEmail",
             (SELECT coalesce(json_agg(json_build_object(
                       'component', p.component, 'risk', p.risk, 'health', p.health, 'explanation', p.explanation,
                       'dueAt', p."dueAt", 'dueOdometerKm', p."dueOdometerKm", 'findings', p.findings)), '[]')
                FROM predictions p
               WHERE p."vehicleId" = v.id AND p.risk = v."worstRisk") AS components
        -- Ranked and cut first, so only the listed cars are joined to their owners and predictions.
        FROM (SELECT * FROM vehicles
               WHERE "serviceCenterId" = ${scope.serviceCenterId}::uuid
                 AND "worstRisk" >= ${minimumRisk}::"Risk" ${vehicleFilter(filter)}
               ORDER BY "worstRisk" DESC, "worstDueAt" ASC NULLS LAST, id
               LIMIT ${limit}) v
        JOIN users u ON u.id = v."ownerId"
       ORDER BY v."worstRisk" DESC, v."worstDueAt" ASC NULLS LAST, v.id`);
    return rows.map((row) => ({
      vin: row.vin,
      make: row.make,
      model: row.model,
      year: row.year,
      plate: row.plate,
      odometerKm: row.odometerKm,
      owner: { name: row.ownerName, phone: row.ownerPhone, email: row.ownerEmail },
      risk: row.risk,
      dueAt: row.dueAt?.toISOString() ?? null,
      lastTelemetryAt: row.lastTelemetryAt?.toISOString() ?? null,
      lastScoredAt: row.lastScoredAt?.toISOString() ?? null,
      // json_build_object writes timestamps as Postgres text: the API's answers carry JavaScript's ISO form.
      components: row.components.map((component) => ({
        ...component,
        dueAt: component.dueAt === null ? null : new Date(component.dueAt).toISOString(),
      })),
    }));
  }

  /** How many of these of the center's cars (the call list's held ones) are at or above the minimum risk. */
  async countAtRisk(scope: CenterScope, minimumRisk: Risk, vehicleIds: readonly string[]): Promise<number> {
    if (vehicleIds.length === 0) return 0;
    const [row] = await this.prisma.$queryRaw<{ count: number }[]>(Prisma.sql`
      SELECT count(*)::int AS count FROM vehicles
       WHERE "serviceCenterId" = ${scope.serviceCenterId}::uuid AND "worstRisk" >= ${minimumRisk}::"Risk"
         AND id = ANY(${[...vehicleIds]}::uuid[])`);
    return row?.count ?? 0;
  }

  /** Vehicles counted by their worst risk; a vehicle without predictions is counted under null. */
  async vehiclesByWorstRisk(scope: CenterScope): Promise<{ risk: Risk | null; count: number }[]> {
    // One row per car (the worst risk the worker keeps on it), from vehicles(serviceCenterId, worstRisk DESC):
    // was a join to and aggregation of the center's predictions, six per car.
    return this.prisma.$queryRaw<{ risk: Risk | null; count: number }[]>(Prisma.sql`
      SELECT "worstRisk"::text AS risk, count(*)::int AS count
        FROM vehicles
       WHERE "serviceCenterId" = ${scope.serviceCenterId}::uuid
       GROUP BY "worstRisk"`);
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

function vehicleFilter(filter: AttentionFilter): Prisma.Sql {
  if (filter.vehicleIds.length === 0) return Prisma.empty;
  const ids = [...filter.vehicleIds];
  return filter.kind === 'only' ? Prisma.sql`AND id = ANY(${ids}::uuid[])` : Prisma.sql`AND NOT (id = ANY(${ids}::uuid[]))`;
}
