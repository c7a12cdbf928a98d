import { Prisma } from '#app/database';

/** What a new inspection or service record says about the vehicle. */
export interface MaintenanceInput {
  vehicleId: string;
  /** When it was measured or performed. */
  at: Date;
  odometerKm: number | null;
}

/**
 * Inside the caller's transaction, after its rows are written: marks the vehicle as needing a new score
 * and takes the odometer reading when it is the vehicle's newest.
 *
 * telemetryVersion is raised (as ingestion does for a batch) because the worker's reconciler rescores
 * every vehicle whose scoredVersion is below it: a lost queue job then only delays the rescore.
 * Strictly later readings win, so the caller's own rows (at `at`) never block it.
 * The vehicle row is locked first, so two requests (or a telemetry batch) cannot both decide they hold
 * the newest reading; each later statement sees what the other committed. FOR NO KEY UPDATE, the lock the UPDATE
 * takes anyway (the key never changes): FOR UPDATE would also hold off every insert that references the car (its
 * telemetry, tyre readings, the partition sweep moving its rows), whose foreign-key checks take FOR KEY SHARE.
 */
export async function recordMaintenanceInput(tx: Prisma.TransactionClient, input: MaintenanceInput): Promise<{ odometerUpdated: boolean }> {
  await tx.$queryRaw`SELECT id FROM vehicles WHERE id = ${input.vehicleId}::uuid FOR NO KEY UPDATE`;
  const odometer = input.odometerKm;
  const rows = await tx.$queryRaw<{ odometerUpdated: boolean }[]>`
    UPDATE vehicles v
       SET "telemetryVersion" = v."telemetryVersion" + 1,
           "odometerKm" = CASE WHEN n.newest THEN ${odometer}::float8 ELSE v."odometerKm" END
      FROM (SELECT ${odometer}::float8 IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM vehicles x WHERE x.id = ${input.vehicleId}::uuid AND x."lastSampleTs" > ${input.at})
                   AND NOT EXISTS (SELECT 1 FROM tire_readings t
                                    WHERE t."vehicleId" = ${input.vehicleId}::uuid AND t.source = 'INSPECTION'
                                      AND t."odometerKm" IS NOT NULL AND t.ts > ${input.at})
                   AND NOT EXISTS (SELECT 1 FROM service_records s
                                    WHERE s."vehicleId" = ${input.vehicleId}::uuid
                                      AND s."odometerKm" IS NOT NULL AND s."performedAt" > ${input.at}) AS newest) n
     WHERE v.id = ${input.vehicleId}::uuid
    RETURNING n.newest AS "odometerUpdated"`;
  return { odometerUpdated: rows[0]?.odometerUpdated };
}
