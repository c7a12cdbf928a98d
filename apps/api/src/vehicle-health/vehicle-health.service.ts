import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { type JsonText, jsonText } from '../common/json-text.js';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { VehicleNotFoundError } from '../vehicles/vehicle-not-found.error.js';
import { PredictionRepository } from './prediction.repository.js';
import { compareWorstFirst, worstRisk } from './risk-order.model.js';
import type { HealthHistoryView, HealthStatus, VehicleHealthView } from './vehicle-health.model.js';
import type { HealthHistoryQuery } from './vehicle-health.schema.js';

@Injectable()
export class VehicleHealthService {
  constructor(private readonly predictions: PredictionRepository) {}

  /**
   * As JSON text: each component's JSON is Postgres' (PredictionRepository), ranked and summed up here. The scope
   * check is part of the read (one statement per request), as for the history.
   */
  async health(user: RequestUser, vin: string): Promise<JsonText<VehicleHealthView>> {
    const read = await this.predictions.currentWithState(scopeOf(user), vin);
    // The same answer VehicleRepository.getInScope gives: a VIN outside the scope is one that does not exist.
    if (read === null) throw new VehicleNotFoundError(vin);
    const { state, components } = read;
    if (components.length === 0) {
      return jsonText<VehicleHealthView>({
        vin: read.vin,
        status: 'not-scored-yet',
        overall: null,
        lastScoredAt: null,
        current: false,
        components: [],
      });
    }
    components.sort(compareWorstFirst);
    const current = state.scoredVersion >= state.telemetryVersion;
    const status: HealthStatus = current ? 'current' : 'stale';
    // The vehicle's stamp is written in the same transaction as the predictions; the newest
    // prediction is the fallback for rows written by other means (imports, tests).
    const newestPrediction = components.map((c) => c.scoredAt).sort()[components.length - 1];
    const head: Omit<VehicleHealthView, 'components'> = {
      vin: read.vin,
      status,
      overall: {
        health: Math.min(...components.map((c) => c.health)),
        // Never null: components is not empty here.
        risk: worstRisk(components.map((c) => c.risk)) ?? components[0].risk,
      },
      lastScoredAt: state.lastScoredAt?.toISOString() ?? newestPrediction ?? null,
      current,
    };
    return withArray(head, 'components', `[${components.map((c) => c.json).join(',')}]`);
  }

  /** As JSON text: the page's JSON is Postgres' (PredictionRepository.snapshots). */
  async history(user: RequestUser, vin: string, query: HealthHistoryQuery): Promise<JsonText<HealthHistoryView>> {
    const page = await this.predictions.snapshots(scopeOf(user), vin, {
      limit: query.limit,
      withEvidence: query.withEvidence,
      withFindings: query.withFindings,
      ...(query.component === undefined ? {} : { component: query.component }),
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
    });
    if (page === null) throw new VehicleNotFoundError(vin);
    return withArray({ vin: page.vin }, 'items', page.items, { truncated: page.truncated });
  }
}

/** `head`'s JSON with `key`: the array's JSON text, then `tail`'s fields: an object of T without parsing the array. */
function withArray<T, K extends keyof T & string>(
  head: Partial<Omit<T, K>>,
  key: K,
  array: JsonText<T[K]>,
  tail: Partial<Omit<T, K>> = {},
): JsonText<T> {
  const tailText = JSON.stringify(tail);
  return `${JSON.stringify(head).slice(0, -1)},${JSON.stringify(key)}:${array}${tailText === '{}' ? '}' : `,${tailText.slice(1)}`}`;
}
