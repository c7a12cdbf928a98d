import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { RISKS } from '#app/maintenance/vocabulary';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { compareWorstFirst } from '../vehicle-health/risk-order.model.js';
import type { CenterScope } from '../vehicles/vehicle.repository.js';
import type { AttentionView, DashboardSummaryView, SilentVehicleView } from './dashboard.model.js';
import { DashboardRepository } from './dashboard.repository.js';
import type { AttentionQuery } from './dashboard.schema.js';

const DAY_MS = 24 * 3_600_000;
const SILENT_LIMIT = 100;

@Injectable()
export class DashboardService {
  constructor(private readonly dashboard: DashboardRepository) {}

  async attention(user: RequestUser, query: AttentionQuery): Promise<AttentionView> {
    const items = await this.dashboard.attention(centerScopeOf(user), query.risk, query.limit);
    for (const item of items) item.components.sort(compareWorstFirst);
    return { risk: query.risk, items };
  }

  async silent(user: RequestUser, now = new Date()): Promise<{ items: SilentVehicleView[] }> {
    return { items: await this.dashboard.silentWithRejections(centerScopeOf(user), new Date(now.getTime() - DAY_MS), SILENT_LIMIT) };
  }

  async summary(user: RequestUser, now = new Date()): Promise<DashboardSummaryView> {
    const scope = centerScopeOf(user);
    const since = new Date(now.getTime() - DAY_MS);
    const [byWorstRisk, reportingLast24h, rejectedLast24h] = await Promise.all([
      this.dashboard.vehiclesByWorstRisk(scope),
      this.dashboard.vehiclesReportingSince(scope, since),
      this.dashboard.rejectedSince(scope, since),
    ]);
    const byRisk = Object.fromEntries([...RISKS, 'NOT_SCORED'].map((risk) => [risk, 0])) as DashboardSummaryView['byRisk'];
    for (const row of byWorstRisk) byRisk[row.risk ?? 'NOT_SCORED'] = row.count;
    return {
      serviceCenterId: scope.serviceCenterId,
      vehicles: byWorstRisk.reduce((total, row) => total + row.count, 0),
      byRisk,
      reportingLast24h,
      rejectedLast24h,
      generatedAt: now.toISOString(),
    };
  }
}

function centerScopeOf(user: RequestUser): CenterScope {
  const scope = scopeOf(user);
  if (scope.kind !== 'center') throw new Error('The dashboard is for staff (enforced by @Roles)');
  return scope;
}
