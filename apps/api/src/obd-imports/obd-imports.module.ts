import { Module } from '@nestjs/common';
import { VehicleHealthModule } from '../vehicle-health/vehicle-health.module.js';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { ObdImportRepository } from './obd-import.repository.js';
import { ObdImportsController } from './obd-imports.controller.js';
import { ObdImportsService } from './obd-imports.service.js';

@Module({
  imports: [VehiclesModule, VehicleHealthModule],
  controllers: [ObdImportsController],
  providers: [ObdImportsService, ObdImportRepository],
})
export class ObdImportsModule {}
