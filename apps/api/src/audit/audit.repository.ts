import { Injectable } from '@nestjs/common';
import { PrismaService, type Transaction } from '#app/database';
import type { CenterScope, VehicleInScope } from '../common/vehicle-scope.model.js';
import type { AuditEventView, NewAuditEvent } from './audit.model.js';

/** The append-only audit trail. Written only inside the transaction of the change it records, so none is lost. */
@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  async record(tx: Transaction, event: NewAuditEvent): Promise<void> {
    await tx.auditEvent.create({ data: event });
  }

  /** Newest first. The center again: a car moved to another center keeps its old center's lines to that center. */
  async listForVehicle(scope: CenterScope, vehicle: VehicleInScope, limit: number): Promise<AuditEventView[]> {
    const rows = await this.prisma.auditEvent.findMany({
      where: { vehicleId: vehicle.id, serviceCenterId: scope.serviceCenterId },
      include: { actor: { select: { id: true, name: true, role: true } } },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map((row) => ({
      id: row.id.toString(),
      at: row.at.toISOString(),
      action: row.action,
      actor: row.actor,
      appointmentId: row.appointmentId,
      callOutcomeId: row.callOutcomeId,
      detail: row.detail,
    }));
  }
}
