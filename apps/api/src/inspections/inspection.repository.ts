import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService, type TirePosition } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import { recordMaintenanceInput } from '../vehicle-health/maintenance-input.repository.js';
import type { TireReadingView } from './inspection.model.js';

export interface NewInspection {
  measuredAt: Date;
  odometerKm: number;
  readings: TireReadingView[];
}

@Injectable()
export class InspectionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The readings, the odometer and the vehicle's rescore mark commit together or not at all. */
  async create(vehicle: VehicleInScope, inspection: NewInspection): Promise<{ inspectionId: string; odometerUpdated: boolean }> {
    const inspectionId = randomUUID();
    const { odometerUpdated } = await this.prisma.$transaction(async (tx) => {
      await tx.tireReading.createMany({
        data: inspection.readings.map((reading) => ({
          vehicleId: vehicle.id,
          inspectionId,
          source: 'INSPECTION' as const,
          position: reading.position satisfies TirePosition,
          ts: inspection.measuredAt,
          odometerKm: inspection.odometerKm,
          treadMm: reading.treadMm,
          pressureKpa: reading.pressureKpa,
        })),
      });
      return recordMaintenanceInput(tx, { vehicleId: vehicle.id, at: inspection.measuredAt, odometerKm: inspection.odometerKm });
    });
    return { inspectionId, odometerUpdated };
  }
}
