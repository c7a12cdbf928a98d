import { Injectable } from '@nestjs/common';
import { PrismaService } from '#app/database';
import { assertScope, type SystemScope } from '../common/vehicle-scope.model.js';

/** Platform-wide aggregates for the operator's gauges: over every tenant by nature, hence a SystemScope. */
@Injectable()
export class PlatformMetricsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async vehiclesBehindTelemetry(scope: SystemScope): Promise<number> {
    assertScope(scope);
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM vehicles WHERE "scoredVersion" < "telemetryVersion"`;
    return Number(rows.at(0)?.n ?? 0);
  }

  async deliveriesByStatus(scope: SystemScope): Promise<{ status: string; count: number }[]> {
    assertScope(scope);
    const rows = await this.prisma.notificationDelivery.groupBy({ by: ['status'], _count: { _all: true } });
    return rows.map((row) => ({ status: row.status, count: row._count._all }));
  }

  /** Seconds the oldest due delivery (not held, not waiting for a retry) has waited; 0 when none. */
  async oldestDueDeliverySeconds(scope: SystemScope): Promise<number> {
    assertScope(scope);
    const rows = await this.prisma.$queryRaw<{ seconds: number | null }[]>`
      SELECT extract(epoch FROM now() - min(coalesce("holdUntil", "createdAt")))::float8 AS seconds
      FROM notification_deliveries
      WHERE status IN ('PENDING', 'HELD') AND ("holdUntil" IS NULL OR "holdUntil" <= now())`;
    return Math.max(0, rows.at(0)?.seconds ?? 0);
  }
}
