import { AppointmentRepository } from '../appointments/appointment.repository.js';
import { PreferenceRepository } from '../preferences/preference.repository.js';
import { ReminderRepository } from '../reminders/reminder.repository.js';
import { VehicleRepository } from '../vehicles/vehicle.repository.js';
import { type AccountScope, InvalidScopeError, type Scope, type ScopeFilters, scopeWhere, type VehicleScope } from './vehicle-scope.model.js';

// The client every repository is built on, named without importing Prisma here.
type DatabaseClient = ConstructorParameters<typeof VehicleRepository>[0];

const VEHICLE_FILTERS: ScopeFilters<VehicleScope, Record<string, string>> = {
  owner: (scope) => ({ ownerId: scope.userId }),
  center: (scope) => ({ serviceCenterId: scope.serviceCenterId }),
};

/** A Prisma client that records every query it is asked for (and answers none): the scope guard must stop before it. */
function recordingPrisma(): { prisma: DatabaseClient; queries: string[] } {
  const queries: string[] = [];
  const table = (name: string) =>
    new Proxy({}, { get: (_target, operation) => (): Promise<null> => (queries.push(`${name}.${String(operation)}`), Promise.resolve(null)) });
  const prisma = new Proxy({}, { get: (_target, name) => table(String(name)) }) as unknown as DatabaseClient;
  return { prisma, queries };
}

describe(scopeWhere.name, () => {
  it("turns each kind of scope into that table's filter", () => {
    expect(scopeWhere({ kind: 'owner', userId: 'u-1' }, VEHICLE_FILTERS)).toEqual({ ownerId: 'u-1' });
    expect(scopeWhere({ kind: 'center', serviceCenterId: 'c-1' }, VEHICLE_FILTERS)).toEqual({ serviceCenterId: 'c-1' });
  });

  it('refuses a missing or malformed scope instead of filtering nothing (which would match every tenant)', () => {
    const malformed: unknown[] = [
      undefined,
      null,
      {},
      { kind: 'owner' },
      { kind: 'owner', userId: '' },
      { kind: 'center', serviceCenterId: '  ' },
      { kind: 'tenant', id: 'x' },
    ];
    for (const scope of malformed) expect(() => scopeWhere(scope as VehicleScope, VEHICLE_FILTERS)).toThrow(InvalidScopeError);
  });

  it('refuses a kind of scope the table has no filter for', () => {
    const accountOnly: ScopeFilters<AccountScope, Record<string, string>> = { account: (scope) => ({ userId: scope.userId }) };
    const center: Scope = { kind: 'center', serviceCenterId: 'c-1' };

    expect(() => scopeWhere(center as unknown as AccountScope, accountOnly)).toThrow(/no filter for a center scope/);
  });
});

describe('repository queries without a scope', () => {
  // Each call below is also a compile-time check: `tsc --noEmit` fails if the @ts-expect-error is not needed,
  // i.e. if a repository method ever accepted a call without its scope.
  it('do not compile, and throw before any query reaches the database', async () => {
    const { prisma, queries } = recordingPrisma();
    const vehicles = new VehicleRepository(prisma);
    const reminders = new ReminderRepository(prisma);
    const appointments = new AppointmentRepository(prisma);
    const preferences = new PreferenceRepository(prisma);

    // @ts-expect-error -- the VIN alone is not a query: the caller's scope comes first
    await expect(vehicles.findByVin('WVWZZZ1JZXW000001')).rejects.toThrow(InvalidScopeError);
    // @ts-expect-error -- an unscoped list of every reminder
    await expect(reminders.listForOwner({ limit: 10 })).rejects.toThrow(InvalidScopeError);
    // @ts-expect-error -- an appointment id without the owner or center it must belong to
    await expect(appointments.findInScope('00000000-0000-0000-0000-000000000001')).rejects.toThrow(InvalidScopeError);
    // @ts-expect-error -- another account's preferences by user id alone
    await expect(preferences.find()).rejects.toThrow(InvalidScopeError);

    expect(queries).toEqual([]);
  });
});
