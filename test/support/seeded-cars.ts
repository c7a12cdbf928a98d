import { Prisma, type PrismaClient } from '#app/database';

/**
 * Removes cars a test seeded by the thousand (and their predictions and device rows, the only rows they have
 * elsewhere), so repeated runs do not grow the test database. The vehicles go without their foreign-key triggers:
 * the cascade from vehicles into the day-partitioned telemetry probes every day partition per vehicle (~280 in a
 * test database: 10,000 cars took over 60 s), for cars that never had a sample. Only for cars seeded with no
 * telemetry, reminders or records: those rows would be left behind.
 */
export async function deleteSeededCars(prisma: PrismaClient, serviceCenterId: string, vinPrefix: string): Promise<void> {
  const seeded = Prisma.sql`SELECT id FROM vehicles WHERE "serviceCenterId" = ${serviceCenterId}::uuid AND vin LIKE ${`${vinPrefix}%`}`;
  await prisma.$transaction([
    prisma.$executeRaw(Prisma.sql`DELETE FROM predictions WHERE "vehicleId" IN (${seeded})`),
    prisma.$executeRaw(Prisma.sql`DELETE FROM device_status WHERE "vehicleId" IN (${seeded})`),
    prisma.$executeRaw(Prisma.sql`SET LOCAL session_replication_role = replica`),
    prisma.$executeRaw(Prisma.sql`DELETE FROM vehicles WHERE id IN (${seeded})`),
  ]);
}
