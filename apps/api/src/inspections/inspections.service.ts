import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { WHEEL_POSITIONS } from '#app/telemetry';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import type { InspectionView, TireReadingView } from './inspection.model.js';
import { InspectionRepository } from './inspection.repository.js';
import type { CreateInspectionRequest } from './inspection.schema.js';

@Injectable()
export class InspectionsService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly inspections: InspectionRepository,
    private readonly rescore: RescoreRequestService,
  ) {}

  async create(user: RequestUser, vin: string, request: CreateInspectionRequest): Promise<InspectionView> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const readings = toReadings(request.tires);
    const { inspectionId, odometerUpdated } = await this.inspections.create(vehicle, {
      measuredAt: request.measuredAt,
      odometerKm: request.odometerKm,
      readings,
    });
    return {
      inspectionId,
      vin: vehicle.vin,
      measuredAt: request.measuredAt.toISOString(),
      odometerKm: request.odometerKm,
      readings,
      odometerUpdated,
      rescore: await this.rescore.request(vehicle.id, 'inspection'),
    };
  }
}

/** One reading per wheel that carries a value; a wheel sent as `{}` was not measured. */
function toReadings(tires: CreateInspectionRequest['tires']): TireReadingView[] {
  return WHEEL_POSITIONS.flatMap((position) => {
    const tire = tires[position];
    if (tire?.treadMm === undefined && tire?.pressureKpa === undefined) return [];
    return [{ position, treadMm: tire.treadMm ?? null, pressureKpa: tire.pressureKpa ?? null }];
  });
}
