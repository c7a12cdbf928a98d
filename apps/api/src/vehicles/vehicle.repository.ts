import { Injectable } from '@nestjs/common';
import { isUniqueViolation, Prisma, PrismaService } from '#app/database';
import {
  assertScope,
  type CenterScope,
  type ScopeFilters,
  scopeWhere,
  type SystemScope,
  type VehicleInScope,
  type VehicleScope,
} from '../common/vehicle-scope.model.js';
import { DuplicateVinError } from './duplicate-vin.error.js';
import { VehicleNotFoundError } from './vehicle-not-found.error.js';
import type { VehicleView } from './vehicle.model.js';

export type { CenterScope } from '../common/vehicle-scope.model.js';

export interface NewVehicle {
  vin: string;
  make: string;
  model: string;
  year: number;
  fuelType?: 'PETROL' | 'DIESEL' | 'HYBRID' | 'ELECTRIC' | 'LPG';
  plate?: string;
  oilServiceIntervalKm?: number;
  oilServiceIntervalMonths?: number;
  odometerKm?: number;
}

export type OwnerLink = { existingUserId: string } | { create: { email: string; name: string; phone?: string; passwordHash: string } };

const withOwner = {
  owner: { select: { id: true, name: true, email: true, phone: true } },
} satisfies Prisma.VehicleInclude;

type VehicleWithOwner = Prisma.VehicleGetPayload<{ include: typeof withOwner }>;

/** Vehicle queries. Every read takes the caller's scope: there is deliberately no unscoped finder. */
@Injectable()
export class VehicleRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findByVin(scope: VehicleScope, vin: string): Promise<VehicleView | null> {
    const row = await this.prisma.vehicle.findFirst({ where: { vin, ...scopeFilter(scope) }, include: withOwner });
    return row ? toView(row) : null;
  }

  /** The handle for queries on a vehicle's telemetry; null when the vehicle is outside the scope. */
  async findInScope(scope: VehicleScope, vin: string): Promise<VehicleInScope | null> {
    // On the pg pool: this check runs before every per-car read (health, history, charts, telemetry), and Prisma's
    // findFirst cost the API process ~1 ms of CPU for it, the pool a tenth of that (npm run bench:api -- --fleet).
    const [row] = await this.prisma.poolRows<{ id: string; vin: string }>(Prisma.sql`
      SELECT v.id::text AS id, v.vin FROM vehicles v WHERE ${vehicleInScopeSql(scope, vin)} LIMIT 1`);
    return row === undefined ? null : (row as VehicleInScope);
  }

  /**
   * The vehicle in scope, or a 404 (VehicleNotFoundError): the one answer every per-vehicle route gives for a
   * VIN that does not exist and for one outside the caller's scope, so existence is not revealed.
   */
  async getInScope(scope: VehicleScope, vin: string): Promise<VehicleInScope> {
    const vehicle = await this.findInScope(scope, vin);
    if (vehicle === null) throw new VehicleNotFoundError(vin);
    return vehicle;
  }

  /** Ordered by VIN; `afterVin` pages by key, `offset` by position. Fetches one extra row to know whether more follow. */
  async list(scope: VehicleScope, page: { limit: number; afterVin?: string; offset?: number }): Promise<{ items: VehicleView[]; hasMore: boolean }> {
    const rows = await this.prisma.vehicle.findMany({
      where: { ...scopeFilter(scope), ...(page.afterVin ? { vin: { gt: page.afterVin } } : {}) },
      include: withOwner,
      orderBy: { vin: 'asc' },
      skip: page.offset ?? 0,
      take: page.limit + 1,
    });
    return { items: rows.slice(0, page.limit).map(toView), hasMore: rows.length > page.limit };
  }

  /**
   * Whether any vehicle, in any center, has this VIN: a VIN is globally unique, so registering one
   * must see past the tenant. Answers only yes/no, never the vehicle.
   */
  async isVinTaken(scope: SystemScope, vin: string): Promise<boolean> {
    assertScope(scope);
    return (await this.prisma.vehicle.count({ where: { vin } })) > 0;
  }

  /**
   * Registers a vehicle in the staff member's center, creating its owner in the same statement. Two
   * registrations of one VIN racing past isVinTaken: the unique index decides, and the loser gets DuplicateVinError.
   */
  async create(scope: CenterScope, vehicle: NewVehicle, owner: OwnerLink): Promise<VehicleView> {
    try {
      const row = await this.prisma.vehicle.create({
        data: {
          ...vehicle,
          serviceCenter: { connect: { id: scope.serviceCenterId } },
          owner: 'existingUserId' in owner ? { connect: { id: owner.existingUserId } } : { create: { ...owner.create, role: 'OWNER' } },
        },
        include: withOwner,
      });
      return toView(row);
    } catch (error) {
      // The violated index may be the new owner's e-mail instead: only a VIN now taken is a duplicate VIN.
      if (isUniqueViolation(error) && (await this.isVinTaken({ kind: 'system', reason: 'VINs are unique across centers' }, vehicle.vin))) {
        throw new DuplicateVinError(vehicle.vin);
      }
      throw error;
    }
  }
}

const VEHICLE_SCOPE_SQL: ScopeFilters<VehicleScope, (alias: Prisma.Sql) => Prisma.Sql> = {
  owner: (scope) => (v) => Prisma.sql`${v}."ownerId" = ${scope.userId}::uuid`,
  center: (scope) => (v) => Prisma.sql`${v}."serviceCenterId" = ${scope.serviceCenterId}::uuid`,
};

/**
 * The condition "the vehicles row `alias` is the car `vin` and within `scope`": the one statement of how a vehicle is
 * scoped, used by findInScope and by the per-car reads that check the scope in their own statement
 * (PredictionRepository: a car's health and history, one round trip to Postgres per request instead of two).
 */
export function vehicleInScopeSql(scope: VehicleScope, vin: string, alias = 'v'): Prisma.Sql {
  const v = Prisma.raw(alias);
  return Prisma.sql`${v}.vin = ${vin} AND ${scopeWhere(scope, VEHICLE_SCOPE_SQL)(v)}`;
}

const VEHICLE_SCOPE: ScopeFilters<VehicleScope, Prisma.VehicleWhereInput> = {
  owner: (scope) => ({ ownerId: scope.userId }),
  center: (scope) => ({ serviceCenterId: scope.serviceCenterId }),
};

function scopeFilter(scope: VehicleScope): Prisma.VehicleWhereInput {
  return scopeWhere(scope, VEHICLE_SCOPE);
}

function toView(row: VehicleWithOwner): VehicleView {
  return {
    id: row.id,
    vin: row.vin,
    make: row.make,
    model: row.model,
    year: row.year,
    fuelType: row.fuelType,
    plate: row.plate,
    serviceCenterId: row.serviceCenterId,
    oilServiceIntervalKm: row.oilServiceIntervalKm,
    oilServiceIntervalMonths: row.oilServiceIntervalMonths,
    owner: row.owner,
    odometerKm: row.odometerKm,
    lastTelemetryAt: row.lastTelemetryAt?.toISOString() ?? null,
    lastSampleTs: row.lastSampleTs?.toISOString() ?? null,
    deviceClockOffsetMs: row.deviceClockOffsetMs,
    deviceClockNote: deviceClockNote(row.deviceClockOffsetMs),
    createdAt: row.createdAt.toISOString(),
  };
}

/** "device clock is 2 h fast (corrected)": hours above 90 minutes, minutes below. */
export function deviceClockNote(offsetMs: number | null): string | null {
  if (offsetMs === null || offsetMs === 0) return null;
  const minutes = Math.round(offsetMs / 60_000);
  const amount = Math.abs(minutes) >= 90 ? `${String(Math.round((minutes / 60) * 10) / 10)} h` : `${String(minutes)} min`;
  return `device clock is ${amount} fast (sample times corrected)`;
}
