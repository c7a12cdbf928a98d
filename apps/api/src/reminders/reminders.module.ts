import { Module } from '@nestjs/common';
import { VehiclesModule } from '../vehicles/vehicles.module.js';
import { ReminderRepository } from './reminder.repository.js';
import { RemindersController } from './reminders.controller.js';
import { RemindersService } from './reminders.service.js';
import { RescoreService } from './rescore.service.js';

@Module({
  imports: [VehiclesModule],
  controllers: [RemindersController],
  providers: [RemindersService, ReminderRepository, RescoreService],
  exports: [RescoreService, ReminderRepository],
})
export class RemindersModule {}
