import type pg from 'pg';
import type { DeviceStatusMessage } from '#app/telemetry';

export type StatusWrite = 'stored' | 'unchanged' | 'unknown-vin';

/**
 * device_status rows, written by the device-status listener. Not tenant-scoped: like telemetry ingestion it
 * runs for every center, and a device names its vehicle by VIN (the broker's ACL holds it to its own).
 * Raw SQL on ingestion's pg pool: the conditions below are one statement, which Prisma's upsert cannot say.
 */
export class DeviceStatusRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Last write wins by receipt time. A retained message is the broker replaying the topic's latest word to a
   * listener that (re)subscribed: when it says what the row already says it carries no news, and its receipt
   * time is not when it happened, so the row keeps the times it has.
   */
  async record(vin: string, status: DeviceStatusMessage, receivedAt: Date, retained: boolean): Promise<StatusWrite> {
    const online = status.state === 'online';
    const result = await this.pool.query<{ known: boolean; stored: boolean }>(
      `WITH vehicle AS (SELECT id FROM vehicles WHERE vin = $1),
            written AS (
              INSERT INTO device_status AS s ("vehicleId", state, "offlineReason", "connectedAt", "disconnectedAt", firmware, "updatedAt")
              SELECT id, $2::"DeviceConnectionState", $3::"DeviceOfflineReason",
                     CASE WHEN $2 = 'ONLINE' THEN $4::timestamptz END,
                     CASE WHEN $2 = 'OFFLINE' THEN $4::timestamptz END,
                     $5, $4::timestamptz
                FROM vehicle
              ON CONFLICT ("vehicleId") DO UPDATE SET
                     state = EXCLUDED.state,
                     "offlineReason" = EXCLUDED."offlineReason",
                     "connectedAt" = COALESCE(EXCLUDED."connectedAt", s."connectedAt"),
                     "disconnectedAt" = COALESCE(EXCLUDED."disconnectedAt", s."disconnectedAt"),
                     firmware = COALESCE(EXCLUDED.firmware, s.firmware),
                     "updatedAt" = EXCLUDED."updatedAt"
               WHERE s."updatedAt" <= EXCLUDED."updatedAt"
                 AND NOT ($6 AND s.state = EXCLUDED.state AND s."offlineReason" IS NOT DISTINCT FROM EXCLUDED."offlineReason")
              RETURNING 1
            )
       SELECT EXISTS (SELECT 1 FROM vehicle) AS known, EXISTS (SELECT 1 FROM written) AS stored`,
      [
        vin,
        online ? 'ONLINE' : 'OFFLINE',
        status.state === 'offline' ? (status.reason === 'clean' ? 'CLEAN' : 'UNEXPECTED') : null,
        receivedAt,
        status.state === 'online' ? (status.fw ?? null) : null,
        retained,
      ],
    );
    const [row] = result.rows;
    if (row === undefined || !row.known) return 'unknown-vin';
    return row.stored ? 'stored' : 'unchanged';
  }
}
