import { Module } from '@nestjs/common';
import { DeviceStatusController } from './device-status.controller.js';
import { DeviceStatusRepository } from './device-status.repository.js';
import { DeviceStatusService } from './device-status.service.js';

/** Reads what ingestion's device-status listener stores (device_status) and the refusals of each car. */
@Module({ controllers: [DeviceStatusController], providers: [DeviceStatusService, DeviceStatusRepository] })
export class DeviceStatusModule {}
