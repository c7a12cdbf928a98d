import { Module } from '@nestjs/common';
import { VehicleHealthModule } from '../vehicle-health/vehicle-health.module.js';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { OdometerCorrectionRepository } from './odometer-correction.repository.js';
import { OdometerCorrectionsController } from './odometer-corrections.controller.js';
import { OdometerCorrectionsService } from './odometer-corrections.service.js';

@Module({
  imports: [VehiclesModule, VehicleHealthModule],
  controllers: [OdometerCorrectionsController],
  providers: [OdometerCorrectionsService, OdometerCorrectionRepository],
})
export class OdometerCorrectionsModule {}
