import { Module } from '@nestjs/common';
import { VehicleHealthModule } from '../vehicle-health/vehicle-health.module.js';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { InspectionRepository } from './inspection.repository.js';
import { InspectionsController } from './inspections.controller.js';
import { InspectionsService } from './inspections.service.js';

@Module({
  imports: [VehiclesModule, VehicleHealthModule],
  controllers: [InspectionsController],
  providers: [InspectionsService, InspectionRepository],
})
export class InspectionsModule {}
