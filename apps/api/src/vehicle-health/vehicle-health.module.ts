import { Module } from '@nestjs/common';
import { PredictionRepository } from './prediction.repository.js';
import { RescoreRequestService } from './rescore-request.service.js';
import { VehicleHealthController } from './vehicle-health.controller.js';
import { VehicleHealthService } from './vehicle-health.service.js';

@Module({
  controllers: [VehicleHealthController],
  providers: [VehicleHealthService, PredictionRepository, RescoreRequestService],
  // Inspections and service records ask for a rescore through the same queue connection.
  exports: [RescoreRequestService],
})
export class VehicleHealthModule {}
