import { Module } from '@nestjs/common';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { PredictionRepository } from './prediction.repository.js';
import { RescoreRequestService } from './rescore-request.service.js';
import { VehicleHealthController } from './vehicle-health.controller.js';
import { VehicleHealthService } from './vehicle-health.service.js';

@Module({
  imports: [VehiclesModule],
  controllers: [VehicleHealthController],
  providers: [VehicleHealthService, PredictionRepository, RescoreRequestService],
  // Inspections and service records ask for a rescore through the same queue connection.
  exports: [RescoreRequestService],
})
export class VehicleHealthModule {}
