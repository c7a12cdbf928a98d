import { Module } from '@nestjs/common';
import { BrokerAuthModule } from '#app/broker-auth';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { DeviceRepository } from './device.repository.js';
import { DevicesController } from './devices.controller.js';
import { DevicesService } from './devices.service.js';

@Module({
  imports: [VehiclesModule, BrokerAuthModule],
  controllers: [DevicesController],
  providers: [DevicesService, DeviceRepository],
})
export class DevicesModule {}
