import { Module } from '@nestjs/common';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { ChartsRepository } from './charts.repository.js';
import { FleetChartsController } from './fleet-charts.controller.js';
import { VehicleChartsController } from './vehicle-charts.controller.js';
import { VehicleChartsService } from './vehicle-charts.service.js';

@Module({
  imports: [VehiclesModule],
  controllers: [VehicleChartsController, FleetChartsController],
  providers: [VehicleChartsService, ChartsRepository],
})
export class ChartsModule {}
