import { Module } from '@nestjs/common';
import { RemindersModule } from '../reminders/reminders.module.js';
import { VehicleHealthModule } from '../vehicle-health/vehicle-health.module.js';
import { AppointmentsController } from './appointments.controller.js';
import { AppointmentsService } from './appointments.service.js';

@Module({ imports: [RemindersModule, VehicleHealthModule], controllers: [AppointmentsController], providers: [AppointmentsService] })
export class AppointmentsModule {}
