import { Injectable } from '@nestjs/common';
import { isUniqueViolation, type Prisma, PrismaService } from '#app/database';
import { assertScope, type SystemScope, type VehicleInScope } from '../common/vehicle-scope.model.js';
import { DuplicateDeviceSerialError } from './duplicate-device-serial.error.js';
import type { CenterScope } from '../vehicles/vehicle.repository.js';
import type { DeviceView } from './device.model.js';

const deviceSelect = {
  id: true,
  serial: true,
  status: true,
  createdAt: true,
  lastSeenAt: true,
  vehicle: { select: { vin: true } },
} satisfies Prisma.DeviceSelect;

type DeviceRow = Prisma.DeviceGetPayload<{ select: typeof deviceSelect }>;

/**
 * Device queries. A device is reached through a vehicle already checked against the caller's scope, or with
 * the center as a required argument: there is no unscoped finder.
 */
@Injectable()
export class DeviceRepository {
  constructor(private readonly prisma: PrismaService) {}

  async create(vehicle: VehicleInScope, device: { serial: string; credentialHash: string; natsCredentialHash: string }): Promise<DeviceView> {
    try {
      const row = await this.prisma.device.create({ data: { ...device, vehicleId: vehicle.id }, select: deviceSelect });
      return toView(row);
    } catch (error) {
      // Two registrations of one serial racing past isSerialTaken: the unique index decides.
      if (isUniqueViolation(error)) throw new DuplicateDeviceSerialError(device.serial);
      throw error;
    }
  }

  async listFor(vehicle: VehicleInScope): Promise<DeviceView[]> {
    const rows = await this.prisma.device.findMany({
      where: { vehicleId: vehicle.id },
      select: deviceSelect,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toView);
  }

  async isSerialTaken(scope: SystemScope, serial: string): Promise<boolean> {
    assertScope(scope);
    return (await this.prisma.device.count({ where: { serial } })) > 0;
  }

  /** Marks the device REVOKED (again, if it already was); null when it is not on a vehicle of the center. */
  async revoke(scope: CenterScope, id: string): Promise<DeviceView | null> {
    const inCenter = { id, vehicle: { serviceCenterId: scope.serviceCenterId } } satisfies Prisma.DeviceWhereInput;
    const { count } = await this.prisma.device.updateMany({ where: inCenter, data: { status: 'REVOKED' } });
    if (count === 0) return null;
    const row = await this.prisma.device.findFirst({ where: inCenter, select: deviceSelect });
    return row ? toView(row) : null;
  }
}

function toView(row: DeviceRow): DeviceView {
  return {
    id: row.id,
    serial: row.serial,
    username: row.serial,
    vin: row.vehicle.vin,
    status: row.status,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
  };
}
