import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { scopeOf } from '../common/vehicle-scope.model.js';
import { RescoreRequestService } from '../vehicle-health/rescore-request.service.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import type { CreatedOdometerCorrectionView, OdometerCorrectionView } from './odometer-correction.model.js';
import { OdometerCorrectionRepository } from './odometer-correction.repository.js';
import type { CreateOdometerCorrectionRequest } from './odometer-correction.schema.js';

@Injectable()
export class OdometerCorrectionsService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly corrections: OdometerCorrectionRepository,
    private readonly rescore: RescoreRequestService,
  ) {}

  async confirm(user: RequestUser, vin: string, request: CreateOdometerCorrectionRequest): Promise<CreatedOdometerCorrectionView> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    const correction = await this.corrections.create(vehicle, {
      effectiveAt: request.effectiveAt,
      odometerKm: request.odometerKm,
      note: request.note ?? null,
      confirmedById: user.userId,
    });
    return { ...correction, rescore: await this.rescore.request(vehicle.id, 'odometer-correction') };
  }

  async list(user: RequestUser, vin: string): Promise<{ vin: string; items: OdometerCorrectionView[] }> {
    const vehicle = await this.vehicles.getInScope(scopeOf(user), vin);
    return { vin: vehicle.vin, items: await this.corrections.list(vehicle) };
  }
}
