import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#app/database';
import type { VehicleScope } from '../common/vehicle-scope.model.js';
import type { DeviceStatusRow } from './device-status.model.js';

/** Device presence and refusals per car, always inside the caller's scope (CONVENTIONS §9). */
@Injectable()
export class DeviceStatusRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The scope's cars among `vins` (others are absent from the result), with refusals since `refusedSince`. */
  async forVins(scope: VehicleScope, vins: readonly string[], refusedSince: Date): Promise<DeviceStatusRow[]> {
    if (vins.length === 0) return [];
    const inScope =
      scope.kind === 'center' ? Prisma.sql`v."serviceCenterId" = ${scope.serviceCenterId}::uuid` : Prisma.sql`v."ownerId" = ${scope.userId}::uuid`;
    // The newest refusal and, by the window function (evaluated before LIMIT), how many there were.
    return this.prisma.$queryRaw<DeviceStatusRow[]>(Prisma.sql`
      SELECT v.vin, v."lastTelemetryAt",
             s.state::text AS state, s."offlineReason"::text AS "offlineReason", s."connectedAt", s."disconnectedAt", s.firmware,
             r.count AS "rejectedCount", r.reason AS "rejectedReason", r.detail AS "rejectedDetail", r."receivedAt" AS "rejectedAt"
        FROM vehicles v
        LEFT JOIN device_status s ON s."vehicleId" = v.id
        LEFT JOIN LATERAL (
          SELECT (count(*) OVER ())::int AS count, rm.reason, rm.detail, rm."receivedAt"
            FROM rejected_messages rm
           WHERE rm."vehicleId" = v.id AND rm."receivedAt" >= ${refusedSince}
           ORDER BY rm."receivedAt" DESC
           LIMIT 1
        ) r ON true
       WHERE v.vin = ANY(${[...vins]}::text[]) AND ${inScope}
       ORDER BY v.vin`);
  }
}
