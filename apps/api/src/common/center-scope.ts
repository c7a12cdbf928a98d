import type { RequestUser } from '#app/auth';
import { type CenterScope, scopeOf } from './vehicle-scope.model.js';

/** The staff member's center, for routes that are staff-only by @Roles('STAFF', 'ADMIN'). */
export function centerScopeOf(user: RequestUser): CenterScope {
  const scope = scopeOf(user);
  // @Roles keeps owners out before this runs: reaching here with one is a wiring bug, not a 4xx.
  if (scope.kind !== 'center') throw new Error('A staff-only route was reached by an owner (enforced by @Roles)');
  return scope;
}
