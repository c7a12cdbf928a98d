import { Injectable } from '@nestjs/common';
import { type Prisma, PrismaService, type Transaction } from '#app/database';
import type { RecordedService } from '../reminders/reminder-completion.repository.js';
import { recordMaintenanceInput } from '../vehicle-health/maintenance-input.repository.js';
import type { GivenService } from './appointment-completion.policy.js';
import {
  assertScope,
  type CenterScope,
  type ScopeFilters,
  scopeWhere,
  type VehicleInScope,
  type VehicleScope,
} from '../common/vehicle-scope.model.js';
import type { ListAppointmentsQuery } from './appointment.schema.js';
import type { AppointmentTransition } from './appointment-state.policy.js';

const withVehicle = { vehicle: { select: { vin: true, make: true, model: true, plate: true } } } satisfies Prisma.AppointmentInclude;
export type AppointmentRow = Prisma.AppointmentGetPayload<{ include: typeof withVehicle }>;
export type AppointmentRecord = Prisma.AppointmentGetPayload<object>;

/** A reminder the caller found in its scope, to book an appointment for. */
export interface ReminderToBook {
  id: string;
  vehicleId: string;
  ownerId: string;
}

/** Owners reach their own appointments, staff their center's. */
const APPOINTMENT_SCOPE: ScopeFilters<VehicleScope, Prisma.AppointmentWhereInput> = {
  owner: (scope) => ({ ownerId: scope.userId }),
  center: (scope) => ({ serviceCenterId: scope.serviceCenterId }),
};

/** The slot a day or week view places an appointment in: its scheduled time, else the time the owner asked for. */
function inSlot(from: Date, to: Date): Prisma.AppointmentWhereInput {
  return {
    OR: [{ scheduledAt: { gte: from, lt: to } }, { scheduledAt: null, preferredAt: { gte: from, lt: to } }],
  };
}

/** Appointment queries; every one takes the caller's scope (out of scope reads as absent). */
@Injectable()
export class AppointmentRepository {
  constructor(private readonly prisma: PrismaService) {}

  async list(scope: VehicleScope, query: ListAppointmentsQuery): Promise<AppointmentRow[]> {
    return this.prisma.appointment.findMany({
      where: {
        ...scopeWhere(scope, APPOINTMENT_SCOPE),
        ...(query.status ? { status: query.status } : {}),
        ...(query.from && query.to ? inSlot(query.from, query.to) : {}),
      },
      include: withVehicle,
      orderBy: [{ preferredAt: 'asc' }, { id: 'asc' }],
      take: query.limit,
    });
  }

  async findInScope(scope: VehicleScope, id: string): Promise<AppointmentRow | null> {
    return this.prisma.appointment.findFirst({ where: { ...scopeWhere(scope, APPOINTMENT_SCOPE), id }, include: withVehicle });
  }

  /** Locks the row for the rest of the transaction (SELECT ... FOR UPDATE), then reads it; null when out of scope. */
  async lockInScope(tx: Transaction, scope: VehicleScope, id: string): Promise<AppointmentRecord | null> {
    const where = { ...scopeWhere(scope, APPOINTMENT_SCOPE), id };
    await tx.$queryRaw`SELECT id FROM appointments WHERE id = ${id}::uuid FOR UPDATE`;
    return tx.appointment.findFirst({ where });
  }

  async update(tx: Transaction, scope: VehicleScope, id: string, fields: AppointmentTransition & { notes: string | null }): Promise<void> {
    await tx.appointment.updateMany({ where: { ...scopeWhere(scope, APPOINTMENT_SCOPE), id }, data: fields });
  }

  /**
   * Books the reminder (already found in `scope` inside this transaction) at the center that services the
   * vehicle now: the reminder's center may be an older one.
   */
  async createForReminder(
    tx: Transaction,
    scope: VehicleScope,
    reminder: ReminderToBook,
    request: { preferredAt: Date; notes: string | null },
  ): Promise<AppointmentRecord> {
    assertScope(scope);
    const vehicle = await tx.vehicle.findUniqueOrThrow({ where: { id: reminder.vehicleId }, select: { serviceCenterId: true } });
    return tx.appointment.create({
      data: {
        vehicleId: reminder.vehicleId,
        serviceCenterId: vehicle.serviceCenterId,
        ownerId: reminder.ownerId,
        reminderId: reminder.id,
        preferredAt: request.preferredAt,
        notes: request.notes,
      },
    });
  }

  /**
   * A slot agreed on the phone (a BOOKED call): confirmed at once, for the car's owner, in the staff member's
   * center. The vehicle was found in that center; the owner is read with it in this transaction.
   */
  async createConfirmed(
    tx: Transaction,
    scope: CenterScope,
    vehicle: VehicleInScope,
    request: { scheduledAt: Date; notes: string | null; now: Date },
  ): Promise<AppointmentRecord> {
    const { ownerId } = await tx.vehicle.findFirstOrThrow({
      where: { id: vehicle.id, serviceCenterId: scope.serviceCenterId },
      select: { ownerId: true },
    });
    return tx.appointment.create({
      data: {
        vehicleId: vehicle.id,
        serviceCenterId: scope.serviceCenterId,
        ownerId,
        status: 'CONFIRMED',
        preferredAt: request.scheduledAt,
        scheduledAt: request.scheduledAt,
        confirmedAt: request.now,
        notes: request.notes,
      },
    });
  }

  /**
   * The work of a completed appointment that has no open reminder, in the appointment's center, in the caller's
   * transaction with the vehicle's rescore mark (the worker's reconciler rescores it even if the job is lost).
   */
  async recordService(
    tx: Transaction,
    appointment: AppointmentRecord,
    service: GivenService,
    input: { performedAt: Date; odometerKm: number | null; notes: string | null; createdById: string },
  ): Promise<RecordedService> {
    const vehicle = await tx.vehicle.findUniqueOrThrow({ where: { id: appointment.vehicleId }, select: { odometerKm: true } });
    const record = await tx.serviceRecord.create({
      data: {
        vehicleId: appointment.vehicleId,
        serviceCenterId: appointment.serviceCenterId,
        kind: service.kind,
        positions: service.positions,
        performedAt: input.performedAt,
        odometerKm: input.odometerKm ?? vehicle.odometerKm,
        notes: input.notes,
        createdById: input.createdById,
      },
    });
    await recordMaintenanceInput(tx, { vehicleId: record.vehicleId, at: record.performedAt, odometerKm: record.odometerKm });
    return {
      id: record.id,
      vehicleId: record.vehicleId,
      kind: record.kind,
      positions: record.positions,
      performedAt: record.performedAt.toISOString(),
      odometerKm: record.odometerKm,
    };
  }
}
