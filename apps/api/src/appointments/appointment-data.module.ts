import { Module } from '@nestjs/common';
import { AppointmentRepository } from './appointment.repository.js';

/**
 * The appointment repository on its own, so reminders (booking) can write appointments through it while the
 * appointments feature uses the reminder repository (closing, reopening): two features, no module cycle.
 */
@Module({ providers: [AppointmentRepository], exports: [AppointmentRepository] })
export class AppointmentDataModule {}
