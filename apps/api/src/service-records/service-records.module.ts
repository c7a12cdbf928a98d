import { Module } from '@nestjs/common';
import { VehicleHealthModule } from '../vehicle-health/vehicle-health.module.js';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { ServiceRecordRepository } from './service-record.repository.js';
import { ServiceRecordsController } from './service-records.controller.js';
import { ServiceRecordsService } from './service-records.service.js';

@Module({
  imports: [VehiclesModule, VehicleHealthModule],
  controllers: [ServiceRecordsController],
  providers: [ServiceRecordsService, ServiceRecordRepository],
})
export class ServiceRecordsModule {}
