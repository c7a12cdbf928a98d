import { Injectable } from '@nestjs/common';
import { type CallOutcomeKind, Prisma, PrismaService, type Risk, type Transaction } from '#app/database';
import type { CenterScope, VehicleInScope } from '../common/vehicle-scope.model.js';
import type { CallOutcomeView } from './call-list.model.js';
import type { CallState } from './call-list.policy.js';

const withStaffAndVin = {
  staff: { select: { id: true, name: true } },
  vehicle: { select: { vin: true } },
} satisfies Prisma.CallOutcomeInclude;
type CallOutcomeRow = Prisma.CallOutcomeGetPayload<{ include: typeof withStaffAndVin }>;

export interface NewCallOutcome {
  staffId: string;
  outcome: CallOutcomeKind;
  note: string | null;
  callAgainAt: Date | null;
  stateAtCall: CallState;
}

/** A car's current predictions, as the call-list policy reads them. */
export interface PredictionForCall {
  vehicleId: string;
  component: string;
  risk: Risk;
  dueAt: Date | null;
  findings: Prisma.JsonValue;
}

/** Call outcomes of one center. Every method takes the center; a vehicle handle was already checked in it. */
@Injectable()
export class CallListRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The vehicle's predictions read inside the recording transaction, so the outcome stores the state it answered. */
  async predictionsOf(tx: Transaction, vehicle: VehicleInScope): Promise<PredictionForCall[]> {
    return tx.prediction.findMany({
      where: { vehicleId: vehicle.id },
      select: { vehicleId: true, component: true, risk: true, dueAt: true, findings: true },
    });
  }

  async create(tx: Transaction, scope: CenterScope, vehicle: VehicleInScope, call: NewCallOutcome): Promise<CallOutcomeView> {
    const row = await tx.callOutcome.create({
      data: {
        vehicleId: vehicle.id,
        serviceCenterId: scope.serviceCenterId,
        staffId: call.staffId,
        outcome: call.outcome,
        note: call.note,
        callAgainAt: call.callAgainAt,
        riskAtCall: call.stateAtCall.risk,
        dueAtAtCall: call.stateAtCall.dueAt,
        findingKeys: [...call.stateAtCall.findingKeys],
      },
      include: withStaffAndVin,
    });
    return toView(row);
  }

  /** Newest first. */
  async history(scope: CenterScope, vehicle: VehicleInScope, limit: number): Promise<CallOutcomeView[]> {
    const rows = await this.prisma.callOutcome.findMany({
      where: { vehicleId: vehicle.id, serviceCenterId: scope.serviceCenterId },
      include: withStaffAndVin,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return rows.map(toView);
  }

  /**
   * The latest outcome of each of the center's cars called since `since` (older ones hold nothing), with the
   * state each car was in then. Only cars still serviced by the center: a car that moved is the new center's.
   */
  async latestSince(scope: CenterScope, since: Date): Promise<(CallOutcomeView & { vehicleId: string; findingKeys: string[] })[]> {
    const latest = await this.prisma.$queryRaw<{ id: string }[]>(Prisma.sql`
      SELECT DISTINCT ON (c."vehicleId") c.id
        FROM call_outcomes c
        JOIN vehicles v ON v.id = c."vehicleId" AND v."serviceCenterId" = c."serviceCenterId"
       WHERE c."serviceCenterId" = ${scope.serviceCenterId}::uuid AND c."createdAt" >= ${since}
       ORDER BY c."vehicleId", c."createdAt" DESC, c.id DESC`);
    if (latest.length === 0) return [];
    const rows = await this.prisma.callOutcome.findMany({
      where: { id: { in: latest.map((row) => row.id) }, serviceCenterId: scope.serviceCenterId },
      include: withStaffAndVin,
    });
    return rows.map((row) => ({ ...toView(row), vehicleId: row.vehicleId, findingKeys: row.findingKeys }));
  }

  /** The current predictions of these of the center's cars (ids from latestSince). */
  async currentPredictions(scope: CenterScope, vehicleIds: readonly string[]): Promise<PredictionForCall[]> {
    if (vehicleIds.length === 0) return [];
    return this.prisma.prediction.findMany({
      where: { vehicleId: { in: [...vehicleIds] }, vehicle: { serviceCenterId: scope.serviceCenterId } },
      select: { vehicleId: true, component: true, risk: true, dueAt: true, findings: true },
    });
  }
}

function toView(row: CallOutcomeRow): CallOutcomeView {
  return {
    id: row.id,
    vin: row.vehicle.vin,
    outcome: row.outcome,
    note: row.note,
    callAgainAt: row.callAgainAt?.toISOString() ?? null,
    riskAtCall: row.riskAtCall,
    dueAtAtCall: row.dueAtAtCall?.toISOString() ?? null,
    staff: row.staff,
    createdAt: row.createdAt.toISOString(),
  };
}
