import { Injectable } from '@nestjs/common';
import { PrismaService, type ServiceKind, type ServiceRecord, type TirePosition, type Transaction } from '#app/database';
import type { VehicleInScope } from '../common/vehicle-scope.model.js';
import { recordMaintenanceInput } from '../vehicle-health/maintenance-input.repository.js';
import type { RecordedService, ServiceRecordView } from './service-record.model.js';

export interface NewServiceRecord {
  kind: ServiceKind;
  performedAt: Date;
  odometerKm: number | null;
  positions: TirePosition[];
  notes: string | null;
  createdById: string;
}

/** Work done on one vehicle, one record per kind (four tyres replaced: one TIRE_REPLACEMENT at four wheels). */
export interface ServiceWork {
  vehicleId: string;
  /** The center that did it; the vehicle's own center when absent (a record staff enter for their car). */
  serviceCenterId?: string;
  services: readonly { kind: ServiceKind; positions: TirePosition[] }[];
  performedAt: Date;
  /** 'last-known': the vehicle's latest odometer (a reminder marked done does not ask for the reading). */
  odometerKm: number | null | 'last-known';
  notes: string | null;
  createdById: string;
  /** The reminder the work answers, when it answers one. */
  reminderId?: string;
}

/**
 * The one place service records are written (staff entry, a reminder marked done, an appointment completed),
 * inside the caller's transaction and with the vehicle's rescore mark, so the worker's reconciler rescores the
 * vehicle even if the rescore job is lost.
 */
export async function writeServiceRecords(tx: Transaction, work: ServiceWork): Promise<{ rows: ServiceRecord[]; odometerUpdated: boolean }> {
  const vehicle = await tx.vehicle.findUniqueOrThrow({ where: { id: work.vehicleId }, select: { serviceCenterId: true, odometerKm: true } });
  const odometerKm = work.odometerKm === 'last-known' ? vehicle.odometerKm : work.odometerKm;
  const rows: ServiceRecord[] = [];
  for (const service of work.services) {
    rows.push(
      await tx.serviceRecord.create({
        data: {
          vehicleId: work.vehicleId,
          serviceCenterId: work.serviceCenterId ?? vehicle.serviceCenterId,
          kind: service.kind,
          positions: service.positions,
          performedAt: work.performedAt,
          odometerKm,
          notes: work.notes,
          createdById: work.createdById,
          ...(work.reminderId === undefined ? {} : { reminderId: work.reminderId }),
        },
      }),
    );
  }
  if (rows.length === 0) return { rows, odometerUpdated: false };
  const { odometerUpdated } = await recordMaintenanceInput(tx, { vehicleId: work.vehicleId, at: work.performedAt, odometerKm });
  return { rows, odometerUpdated };
}

/** What a reminder's or an appointment's answer says about a record it wrote. */
export function toRecordedService(row: ServiceRecord): RecordedService {
  return {
    id: row.id,
    vehicleId: row.vehicleId,
    kind: row.kind,
    positions: row.positions,
    performedAt: row.performedAt.toISOString(),
    odometerKm: row.odometerKm,
  };
}

@Injectable()
export class ServiceRecordRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** In the vehicle's own center, whoever enters it; committed with the vehicle's rescore mark. */
  async create(vehicle: VehicleInScope, record: NewServiceRecord): Promise<{ record: ServiceRecordView; odometerUpdated: boolean }> {
    return this.prisma.$transaction(async (tx) => {
      const { kind, positions, ...work } = record;
      const { rows, odometerUpdated } = await writeServiceRecords(tx, { ...work, vehicleId: vehicle.id, services: [{ kind, positions }] });
      const [row] = rows;
      if (row === undefined) throw new Error('one service given, none written');
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
