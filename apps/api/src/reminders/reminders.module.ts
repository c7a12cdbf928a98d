import { Module } from '@nestjs/common';
import { AppointmentDataModule } from '../appointments/appointment-data.module.js';
import { EventsModule } from '../events/events.module.js';
import { VehicleHealthModule } from '../vehicle-health/vehicle-health.module.js';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { ReminderRepository } from './reminder.repository.js';
import { RemindersController } from './reminders.controller.js';
import { RemindersService } from './reminders.service.js';

@Module({
  imports: [VehiclesModule, VehicleHealthModule, EventsModule, AppointmentDataModule],
  controllers: [RemindersController],
  providers: [RemindersService, ReminderRepository],
  exports: [ReminderRepository],
})
export class RemindersModule {}
