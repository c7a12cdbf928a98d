import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import type { CreatedServiceRecordView, ServiceRecordView } from './service-record.model.js';
import { ServiceRecordRepository } from './service-record.repository.js';
import type { CreateServiceRecordRequest, ListServiceRecordsQuery } from './service-record.schema.js';

@Injectable()
export class ServiceRecordsService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly records: ServiceRecordRepository,
    private readonly rescore: RescoreRequestService,
  ) {}

  async create(user: RequestUser, vin: string, request: CreateServiceRecordRequest): Promise<CreatedServiceRecordView> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const { record, odometerUpdated } = await this.records.create(vehicle, {
      kind: request.kind,
      performedAt: request.performedAt,
      odometerKm: request.odometerKm ?? null,
      positions: request.positions ?? [],
      notes: request.notes ?? null,
      createdById: user.userId,
    });
    return { ...record, odometerUpdated, rescore: await this.rescore.request(vehicle.id, 'service-record') };
  }

  async list(user: RequestUser, vin: string, query: ListServiceRecordsQuery): Promise<{ vin: string; items: ServiceRecordView[] }> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const items = await this.records.list(vehicle, { limit: query.limit, ...(query.kind === undefined ? {} : { kind: query.kind }) });
    return { vin: vehicle.vin, items };
  }
}
