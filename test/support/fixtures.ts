import { randomBytes, randomUUID } from 'node:crypto';
import type { PrismaClient } from '#app/database';

const VIN_ALPHABET = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'; // no I, O, Q

export function randomVin(): string {
  const bytes = randomBytes(17);
  return Array.from(bytes, (byte) => VIN_ALPHABET[byte % VIN_ALPHABET.length]).join('');
}

/**
 * The SET clause, for an `UPDATE vehicles v`, of what the worker's save keeps on a vehicle with its predictions
 * (apps/worker/src/scoring/prediction.store.ts): the worst risk among them and the earliest due date at it (null
 * without any), which the attention list and the summary read. For tests and benchmarks that write prediction rows
 * themselves.
 */
export const SET_WORST_RISK_SQL = `SET ("worstRisk", "worstDueAt") =
  (SELECT risk, min("dueAt") FROM predictions p WHERE p."vehicleId" = v.id GROUP BY risk ORDER BY risk DESC LIMIT 1)`;

export interface FleetFixture {
  serviceCenterId: string;
  ownerId: string;
  vehicles: { id: string; vin: string }[];
}

/** A service center with one owner and `count` registered vehicles, all unique to this call. */
/**
 * The vehicle profile of createFleet's cars: the make, model and year it writes, and the schema's defaults for the
 * rest (petrol, oil every 10,000 km or 12 months), for tests that hand the history loader one of those cars.
 */
export const FLEET_VEHICLE_PROFILE = {
  make: 'Toyota',
  model: 'Corolla',
  year: 2020,
  fuelType: 'PETROL',
  oilServiceIntervalKm: 10_000,
  oilServiceIntervalMonths: 12,
} as const;

export async function createFleet(prisma: PrismaClient, count: number): Promise<FleetFixture> {
  const tag = randomUUID().slice(0, 8);
  const center = await prisma.serviceCenter.create({ data: { name: `Test center ${tag}` } });
  const owner = await prisma.user.create({
    data: {
      email: `owner-${tag}@test.local`,
      passwordHash: 'not-used',
      role: 'OWNER',
      name: `Owner ${tag}`,
      serviceCenterId: center.id,
    },
  });
  const vehicles = [];
  for (let index = 0; index < count; index += 1) {
    const vehicle = await prisma.vehicle.create({
      data: {
        vin: randomVin(),
        make: FLEET_VEHICLE_PROFILE.make,
        model: FLEET_VEHICLE_PROFILE.model,
        year: FLEET_VEHICLE_PROFILE.year,
        serviceCenterId: center.id,
        ownerId: owner.id,
      },
      select: { id: true, vin: true },
    });
    vehicles.push(vehicle);
  }
  return { serviceCenterId: center.id, ownerId: owner.id, vehicles };
}

/** A healthy-looking sample per the device contract. */
export function sampleFor(seq: number, ts: Date = new Date()): Record<string, unknown> {
  return {
    ts: ts.toISOString(),
    seq,
    odometerKm: 40000 + seq * 0.01,
    speedKph: 50 + (seq % 30),
    rpm: 2000,
    coolantTempC: 89 + (seq % 3),
    fuelRateLph: 4.2,
    batteryV: 14.1,
  };
}
