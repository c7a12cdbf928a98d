import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { OwnerAccountService } from './owner-account.service.js';
import { VehicleRepository } from './vehicle.repository.js';
import { VehiclesController } from './vehicles.controller.js';
import { VehiclesService } from './vehicles.service.js';

@Module({
  imports: [AuthModule],
  controllers: [VehiclesController],
  providers: [VehiclesService, VehicleRepository, OwnerAccountService],
  exports: [VehicleRepository],
})
export class VehiclesModule {}
