import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import type { RejectedMessageView, TelemetryResponse } from './telemetry.model.js';
import { TelemetryRepository } from './telemetry.repository.js';
import type { RejectedQuery, TelemetryQuery } from './telemetry.schema.js';

@Injectable()
export class TelemetryService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly telemetry: TelemetryRepository,
  ) {}

  async query(user: RequestUser, vin: string, query: TelemetryQuery): Promise<TelemetryResponse> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const window = { from: query.from, to: query.to, limit: query.limit };
    const head = { vin, from: query.from.toISOString(), to: query.to.toISOString() };
    if (query.bucket === undefined) {
      const samples = await this.telemetry.samples(vehicle, window);
      const truncated = samples.length > query.limit;
      return { ...head, truncated, bucket: null, samples: truncated ? samples.slice(1) : samples };
    }
    const buckets = await this.telemetry.buckets(vehicle, window, query.bucket);
    const truncated = buckets.length > query.limit;
    return { ...head, truncated, bucket: query.bucket, buckets: truncated ? buckets.slice(1) : buckets };
  }

  async rejected(user: RequestUser, vin: string, query: RejectedQuery): Promise<{ vin: string; items: RejectedMessageView[] }> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    return { vin, items: await this.telemetry.rejected(vehicle, query.limit) };
  }
}
