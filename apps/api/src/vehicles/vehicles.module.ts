import { Module } from '@nestjs/common';
import { OwnerAccountService } from './owner-account.service.js';
import { VehicleRepository } from './vehicle.repository.js';
import { VehiclesController } from './vehicles.controller.js';
import { VehiclesService } from './vehicles.service.js';

@Module({
  controllers: [VehiclesController],
  providers: [VehiclesService, VehicleRepository, OwnerAccountService],
  exports: [VehicleRepository],
})
export class VehiclesModule {}
