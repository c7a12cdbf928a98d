import { Injectable } from '@nestjs/common';
import { PrismaService, type ServiceKind, type ServiceRecord, type TirePosition } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import { recordMaintenanceInput } from '../vehicle-health/maintenance-input.repository.js';
import type { ServiceRecordView } from './service-record.model.js';

export interface NewServiceRecord {
  kind: ServiceKind;
  performedAt: Date;
  odometerKm: number | null;
  positions: TirePosition[];
  notes: string | null;
  createdById: string;
}

@Injectable()
export class ServiceRecordRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** In the vehicle's own center, whoever enters it; committed with the vehicle's rescore mark. */
  async create(vehicle: VehicleInScope, record: NewServiceRecord): Promise<{ record: ServiceRecordView; odometerUpdated: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const { serviceCenterId } = await tx.vehicle.findUniqueOrThrow({ where: { id: vehicle.id }, select: { serviceCenterId: true } });
      const row = await tx.serviceRecord.create({ data: { vehicleId: vehicle.id, serviceCenterId, ...record } });
      const { odometerUpdated } = await recordMaintenanceInput(tx, {
        vehicleId: vehicle.id,
        at: record.performedAt,
        odometerKm: record.odometerKm,
      });
      return { record: toView(vehicle, row), odometerUpdated };
    });
  }

  /** Newest work first. */
  async list(vehicle: VehicleInScope, filter: { kind?: ServiceKind; limit: number }): Promise<ServiceRecordView[]> {
    const rows = await this.prisma.serviceRecord.findMany({
      where: { vehicleId: vehicle.id, ...(filter.kind === undefined ? {} : { kind: filter.kind }) },
      orderBy: [{ performedAt: 'desc' }, { createdAt: 'desc' }],
      take: filter.limit,
    });
    return rows.map((row) => toView(vehicle, row));
  }
}

function toView(vehicle: VehicleInScope, row: ServiceRecord): ServiceRecordView {
  return {
    id: row.id,
    vin: vehicle.vin,
    serviceCenterId: row.serviceCenterId,
    kind: row.kind,
    performedAt: row.performedAt.toISOString(),
    odometerKm: row.odometerKm,
    positions: row.positions,
    notes: row.notes,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
  };
}
