import type { RequestUser } from '#app/auth';
import { MissingServiceCenterError } from './missing-service-center.error.js';

export interface OwnerScope {
  readonly kind: 'owner';
  readonly userId: string;
}
export interface CenterScope {
  readonly kind: 'center';
  readonly serviceCenterId: string;
}

/**
 * The tenant every vehicle query runs in (CONVENTIONS §9): repository methods take it as a required
 * first argument, so a query without a scope does not compile.
 */
export type VehicleScope = OwnerScope | CenterScope;

/** Rows that belong to one account whatever its role: its preferences, push subscriptions, password. */
export interface AccountScope {
  readonly kind: 'account';
  readonly userId: string;
}

/**
 * A query that has to see past the tenant, saying why: a uniqueness check across centers (VIN, serial,
 * e-mail), the sign-in lookup, or a row re-read by id after a scoped check in the same request. Greppable,
 * so every cross-tenant read is a deliberate one.
 */
export interface SystemScope {
  readonly kind: 'system';
  readonly reason: string;
}

export type Scope = VehicleScope | AccountScope | SystemScope;

export function scopeOf(user: RequestUser): VehicleScope {
  if (user.role === 'OWNER') return { kind: 'owner', userId: user.userId };
  if (user.serviceCenterId === null) throw new MissingServiceCenterError(user.userId);
  return { kind: 'center', serviceCenterId: user.serviceCenterId };
}

export function accountScopeOf(user: RequestUser): AccountScope {
  return { kind: 'account', userId: user.userId };
}

export function systemScope(reason: string): SystemScope {
  return { kind: 'system', reason };
}

/** How one table is filtered for each kind of scope a repository method accepts. */
export type ScopeFilters<S extends Scope, W> = { readonly [K in S['kind']]: (scope: Extract<S, { kind: K }>) => W };

/**
 * The one place a scope becomes a `where`: the repository states, per table, the filter of each scope kind
 * its method accepts (the compiler checks that every such kind has one), and this picks it. A scope that
 * reaches it malformed (from untyped code) throws instead of turning into an empty filter that matches
 * every tenant.
 */
export function scopeWhere<S extends Scope, W>(scope: S, filters: ScopeFilters<S, W>): W {
  assertScope(scope);
  // The mapped type guarantees a filter for scope.kind, typed for exactly that member of S.
  const filter = filters[scope.kind as S['kind']] as unknown as ((scope: S) => W) | undefined;
  if (filter === undefined) throw new InvalidScopeError(`no filter for a ${scope.kind} scope`);
  return filter(scope);
}

/** Account rows are keyed by their user. */
export const ACCOUNT_SCOPE: ScopeFilters<AccountScope, { userId: string }> = { account: (scope) => ({ userId: scope.userId }) };

/** A scope that is not one (missing, unknown kind, empty id): a bug in the caller, never a 4xx. */
export class InvalidScopeError extends Error {
  override readonly name = 'InvalidScopeError';
}

export function assertScope(scope: unknown): asserts scope is Scope {
  if (typeof scope !== 'object' || scope === null || !('kind' in scope)) throw new InvalidScopeError('a query needs a scope');
  const fields = scope as Record<string, unknown>;
  const idField = ID_FIELD[String(fields.kind)];
  if (idField === undefined) throw new InvalidScopeError(`unknown scope kind ${String(fields.kind)}`);
  const id = fields[idField];
  if (typeof id !== 'string' || id.trim() === '') throw new InvalidScopeError(`a ${String(fields.kind)} scope needs its ${idField}`);
}

const ID_FIELD: Readonly<Record<string, string | undefined>> = {
  owner: 'userId',
  center: 'serviceCenterId',
  account: 'userId',
  system: 'reason',
} satisfies Record<Scope['kind'], string>;

declare const inScope: unique symbol;

/**
 * A vehicle already checked against the caller's scope. Only VehicleRepository.findInScope makes one,
 * so queries on a vehicle's telemetry or rejected messages cannot be reached with an unchecked id.
 */
export type VehicleInScope = { readonly id: string; readonly vin: string } & { readonly [inScope]: true };
