import type { RequestUser } from '#app/auth';
import { MissingServiceCenterError } from './missing-service-center.error.js';

/**
 * The tenant every vehicle query runs in (CONVENTIONS §9): repository methods take it as a required
 * argument, so a query without a scope does not compile.
 */
export type VehicleScope = { kind: 'owner'; userId: string } | { kind: 'center'; serviceCenterId: string };

export function scopeOf(user: RequestUser): VehicleScope {
  if (user.role === 'OWNER') return { kind: 'owner', userId: user.userId };
  if (user.serviceCenterId === null) throw new MissingServiceCenterError(user.userId);
  return { kind: 'center', serviceCenterId: user.serviceCenterId };
}

declare const inScope: unique symbol;

/**
 * A vehicle already checked against the caller's scope. Only VehicleRepository.findInScope makes one,
 * so queries on a vehicle's telemetry or rejected messages cannot be reached with an unchecked id.
 */
export type VehicleInScope = { readonly id: string; readonly vin: string } & { readonly [inScope]: true };
