import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService } from '#app/database';
import { REMINDER_EVENT_INCLUDE } from '#app/notifications';
import { assertScope, type SystemScope } from '../common/vehicle-scope.model.js';

const APPOINTMENT_EVENT_INCLUDE = {
  vehicle: { select: { vin: true, make: true, model: true, plate: true } },
  owner: { select: { preference: { select: { language: true } } } },
} satisfies Prisma.AppointmentInclude;

export type ReminderEventRow = Prisma.ReminderGetPayload<{ include: typeof REMINDER_EVENT_INCLUDE }>;
export type AppointmentEventRow = Prisma.AppointmentGetPayload<{ include: typeof APPOINTMENT_EVENT_INCLUDE }>;

/**
 * What an event about a change tells its audiences. Read by id with a SystemScope: the change was made in the
 * caller's scope a moment ago, and the event goes to the owner and the center whoever made it.
 */
@Injectable()
export class OwnerEventRepository {
  constructor(private readonly prisma: PrismaService) {}

  async reminder(scope: SystemScope, reminderId: string): Promise<ReminderEventRow | null> {
    assertScope(scope);
    return this.prisma.reminder.findUnique({ where: { id: reminderId }, include: REMINDER_EVENT_INCLUDE });
  }

  async appointment(scope: SystemScope, appointmentId: string): Promise<AppointmentEventRow | null> {
    assertScope(scope);
    return this.prisma.appointment.findUnique({ where: { id: appointmentId }, include: APPOINTMENT_EVENT_INCLUDE });
  }
}
