import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { EventsModule } from '../events/events.module.js';
import { RemindersModule } from '../reminders/reminders.module.js';
import { VehicleHealthModule } from '../vehicle-health/vehicle-health.module.js';
import { AppointmentDataModule } from './appointment-data.module.js';
import { AppointmentsController } from './appointments.controller.js';
import { AppointmentsService } from './appointments.service.js';

@Module({
  imports: [AuditModule, RemindersModule, VehicleHealthModule, EventsModule, AppointmentDataModule],
  controllers: [AppointmentsController],
  providers: [AppointmentsService],
})
export class AppointmentsModule {}
