import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import { PredictionRepository } from './prediction.repository.js';
import { compareWorstFirst, worstRisk } from './risk-order.model.js';
import type { HealthHistoryView, HealthStatus, VehicleHealthView } from './vehicle-health.model.js';
import type { HealthHistoryQuery } from './vehicle-health.schema.js';

@Injectable()
export class VehicleHealthService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly predictions: PredictionRepository,
  ) {}

  async health(user: RequestUser, vin: string): Promise<VehicleHealthView> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const { state, components } = await this.predictions.currentWithState(vehicle);
    if (components.length === 0) {
      return { vin: vehicle.vin, status: 'not-scored-yet', overall: null, lastScoredAt: null, current: false, components: [] };
    }
    components.sort(compareWorstFirst);
    const current = state.scoredVersion >= state.telemetryVersion;
    const status: HealthStatus = current ? 'current' : 'stale';
    // The vehicle's stamp is written in the same transaction as the predictions; the newest
    // prediction is the fallback for rows written by other means (imports, tests).
    const newestPrediction = components.map((c) => c.scoredAt).sort()[components.length - 1];
    return {
      vin: vehicle.vin,
      status,
      overall: {
        health: Math.min(...components.map((c) => c.health)),
        // Never null: components is not empty here.
        risk: worstRisk(components.map((c) => c.risk)) ?? components[0].risk,
      },
      lastScoredAt: state.lastScoredAt?.toISOString() ?? newestPrediction,
      current,
      components,
    };
  }

  async history(user: RequestUser, vin: string, query: HealthHistoryQuery): Promise<HealthHistoryView> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const rows = await this.predictions.snapshots(vehicle, {
      limit: query.limit,
      withEvidence: query.withEvidence,
      withFindings: query.withFindings,
      ...(query.component === undefined ? {} : { component: query.component }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
    });
    const truncated = rows.length > query.limit;
    return { vin: vehicle.vin, items: truncated ? rows.slice(0, query.limit) : rows, truncated };
  }
}
