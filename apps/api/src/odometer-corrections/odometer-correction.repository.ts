import { Injectable } from '@nestjs/common';
import { type OdometerCorrection, PrismaService } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import { recordMaintenanceInput } from '../vehicle-health/maintenance-input.repository.js';
import type { OdometerCorrectionView } from './odometer-correction.model.js';

export interface NewOdometerCorrection {
  effectiveAt: Date;
  odometerKm: number;
  note: string | null;
  confirmedById: string;
}

@Injectable()
export class OdometerCorrectionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Recorded in the vehicle's own center, committed with the vehicle's rescore mark. */
  async create(vehicle: VehicleInScope, correction: NewOdometerCorrection): Promise<OdometerCorrectionView> {
    return this.prisma.$transaction(async (tx) => {
      const { serviceCenterId } = await tx.vehicle.findUniqueOrThrow({ where: { id: vehicle.id }, select: { serviceCenterId: true } });
      const row = await tx.odometerCorrection.create({ data: { vehicleId: vehicle.id, serviceCenterId, ...correction } });
      await recordMaintenanceInput(tx, { vehicleId: vehicle.id, at: correction.effectiveAt, odometerKm: correction.odometerKm });
      return toView(vehicle, row);
    });
  }

  /** Newest change first. */
  async list(vehicle: VehicleInScope): Promise<OdometerCorrectionView[]> {
    const rows = await this.prisma.odometerCorrection.findMany({ where: { vehicleId: vehicle.id }, orderBy: { effectiveAt: 'desc' } });
    return rows.map((row) => toView(vehicle, row));
  }
}

function toView(vehicle: VehicleInScope, row: OdometerCorrection): OdometerCorrectionView {
  return {
    id: row.id,
    vin: vehicle.vin,
    effectiveAt: row.effectiveAt.toISOString(),
    odometerKm: row.odometerKm,
    note: row.note,
    confirmedById: row.confirmedById,
    confirmedAt: row.confirmedAt.toISOString(),
  };
}
