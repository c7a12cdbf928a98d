import { Module } from '@nestjs/common';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { TelemetryController } from './telemetry.controller.js';
import { TelemetryRepository } from './telemetry.repository.js';
import { TelemetryService } from './telemetry.service.js';

@Module({ imports: [VehiclesModule], controllers: [TelemetryController], providers: [TelemetryService, TelemetryRepository] })
export class TelemetryModule {}
