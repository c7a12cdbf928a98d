import { Injectable } from '@nestjs/common';
import type { RequestUser } from '#app/auth';
import { scopeOf, systemScope } from '../common/vehicle-scope.model.js';
import { DuplicateVinError } from './duplicate-vin.error.js';
import { OwnerAccountService } from './owner-account.service.js';
import type { CreateVehicleRequest, ListVehiclesQuery } from './vehicle.schema.js';
import type { CreatedVehicleView, VehiclePage, VehicleView } from './vehicle.model.js';
import { VehicleRepository } from './vehicle.repository.js';
import { VehicleNotFoundError } from './vehicle-not-found.error.js';

@Injectable()
export class VehiclesService {
  constructor(
    private readonly vehicles: VehicleRepository,
    private readonly owners: OwnerAccountService,
  ) {}

  async create(user: RequestUser, request: CreateVehicleRequest): Promise<CreatedVehicleView> {
    const scope = scopeOf(user);
    if (scope.kind !== 'center') throw new Error('Only staff create vehicles (enforced by @Roles)');
    const { ownerEmail, ownerName, ownerPhone, ...vehicle } = request;
    if (await this.vehicles.isVinTaken(systemScope('VINs are unique across centers'), vehicle.vin)) throw new DuplicateVinError(vehicle.vin);
    const owner = await this.owners.resolve({
      email: ownerEmail,
      ...(ownerName === undefined ? {} : { name: ownerName }),
      ...(ownerPhone === undefined ? {} : { phone: ownerPhone }),
    });
    const created = await this.vehicles.create(scope, vehicle, owner.link);
    return owner.initialPassword === undefined ? created : { ...created, ownerInitialPassword: owner.initialPassword };
  }

  async list(user: RequestUser, query: ListVehiclesQuery): Promise<VehiclePage> {
    const page = await this.vehicles.list(scopeOf(user), {
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { afterVin: query.cursor }),
      ...(query.offset === undefined ? {} : { offset: query.offset }),
    });
    return { items: page.items, nextCursor: page.hasMore ? (page.items.at(-1)?.vin ?? null) : null };
  }

  async get(user: RequestUser, vin: string): Promise<VehicleView> {
    const vehicle = await this.vehicles.findByVin(scopeOf(user), vin);
    if (!vehicle) throw new VehicleNotFoundError(vin);
    return vehicle;
  }
}
