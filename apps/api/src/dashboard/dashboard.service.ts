import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { RISKS } from '#app/maintenance/vocabulary';
import { CallListService } from '../call-list/call-list.service.js';
import { centerScopeOf } from '../common/center-scope.js';
import type { CenterScope } from '../vehicles/vehicle.repository.js';
import { compareWorstFirst } from '../vehicle-health/risk-order.model.js';
import { DashboardSummaryCache } from './dashboard-summary.cache.js';
import type { AttentionView, DashboardSummaryView, SilentVehicleView } from './dashboard.model.js';
import { DashboardRepository } from './dashboard.repository.js';
import type { AttentionQuery } from './dashboard.schema.js';

const DAY_MS = 24 * 3_600_000;
const SILENT_LIMIT = 100;

@Injectable()
export class DashboardService {
  constructor(
    private readonly dashboard: DashboardRepository,
    private readonly callList: CallListService,
    private readonly summaries: DashboardSummaryCache,
  ) {}

  /**
   * The call list: the cars to call now, or (view=handled) those a recent call holds off it. Which are held is the
   * call list's policy (call-list.policy.ts); the ranking and its limit run in Postgres around them (no query for
   * an empty set of held cars, the usual case).
   */
  async attention(user: RequestUser, query: AttentionQuery, now = new Date()): Promise<AttentionView> {
    const scope = centerScopeOf(user);
    const calls = await this.callList.entries(scope, now);
    const held = [...calls].filter(([, entry]) => entry.hiddenUntil !== null).map(([vehicleId]) => vehicleId);
    const [handled, details] = await Promise.all([
      this.dashboard.countAtRisk(scope, query.risk, held),
      this.dashboard.attentionPage(scope, query.risk, { kind: query.view === 'handled' ? 'only' : 'except', vehicleIds: held }, query.limit),
    ]);
    const callByVin = new Map([...calls.values()].map((entry) => [entry.lastCall.vin, entry]));
    const items = details.map((item) => ({ ...item, call: callByVin.get(item.vin) ?? null }));
    for (const item of items) item.components.sort(compareWorstFirst);
    return { risk: query.risk, view: query.view, items, handled };
  }

  async silent(user: RequestUser, now = new Date()): Promise<{ items: SilentVehicleView[] }> {
    return { items: await this.dashboard.silentWithRejections(centerScopeOf(user), new Date(now.getTime() - DAY_MS), SILENT_LIMIT) };
  }

  /** At most `api.dashboardSummaryTtlMs` old (its `generatedAt` says when): see DashboardSummaryCache. */
  async summary(user: RequestUser): Promise<DashboardSummaryView> {
    const scope = centerScopeOf(user);
    return this.summaries.get(scope.serviceCenterId, () => this.computeSummary(scope, new Date()));
  }

  private async computeSummary(scope: CenterScope, now: Date): Promise<DashboardSummaryView> {
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
