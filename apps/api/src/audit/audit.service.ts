import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { centerScopeOf } from '../common/center-scope.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import { VehicleNotFoundError } from '../vehicles/vehicle-not-found.error.js';
import type { AuditEventView } from './audit.model.js';
import { AuditRepository } from './audit.repository.js';
import type { AuditQuery } from './audit.schema.js';

@Injectable()
export class AuditService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly audit: AuditRepository,
  ) {}

  async forVehicle(user: RequestUser, vin: string, query: AuditQuery): Promise<{ vin: string; items: AuditEventView[] }> {
    const scope = centerScopeOf(user);
    const vehicle = await this.vehicles.findInScope(scope, vin);
    if (!vehicle) throw new VehicleNotFoundError(vin);
    return { vin: vehicle.vin, items: await this.audit.listForVehicle(scope, vehicle, query.limit) };
  }
}
