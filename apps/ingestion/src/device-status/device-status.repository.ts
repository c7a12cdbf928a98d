import type pg from 'pg';
import type { StoredPresence } from '#app/notifications';
import type { DeviceStatusMessage } from '#app/telemetry';

export type StatusWrite = 'stored' | 'unchanged' | 'unknown-vin';

/** What a stored word changed: the car's center (who hears of it), the presence before and after, since when. */
export interface StoredStatus {
  write: 'stored';
  serviceCenterId: string;
  before: StoredPresence | null;
  after: StoredPresence;
  /** connectedAt for a birth, disconnectedAt for a goodbye or a will: when the new state began. */
  since: Date;
  firmware: string | null;
}

export type StatusRecord = StoredStatus | { write: 'unchanged' | 'unknown-vin' };

interface RecordRow {
  serviceCenterId: string | null;
  beforeState: StoredPresence['state'] | null;
  beforeReason: StoredPresence['offlineReason'];
  afterState: StoredPresence['state'] | null;
  afterReason: StoredPresence['offlineReason'];
  since: Date | null;
  firmware: string | null;
}

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
   * `before` is the row as the statement's snapshot saw it (every part of one statement shares it), so a write
   * tells what it changed; two replicas storing the same word at the same moment may both report the change,
   * which a listener applies twice to the same effect.
   */
  async record(vin: string, status: DeviceStatusMessage, receivedAt: Date, retained: boolean): Promise<StatusRecord> {
    const online = status.state === 'online';
    const result = await this.pool.query<RecordRow>(
      `WITH vehicle AS (SELECT id, "serviceCenterId" FROM vehicles WHERE vin = $1),
            before AS (SELECT s.state, s."offlineReason" FROM device_status s JOIN vehicle v ON s."vehicleId" = v.id),
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
              RETURNING state, "offlineReason", CASE WHEN state = 'ONLINE' THEN "connectedAt" ELSE "disconnectedAt" END AS since, firmware
            )
       SELECT v."serviceCenterId",
              b.state::text AS "beforeState", b."offlineReason"::text AS "beforeReason",
              w.state::text AS "afterState", w."offlineReason"::text AS "afterReason", w.since, w.firmware
         FROM (SELECT 1) AS one
         LEFT JOIN vehicle v ON true
         LEFT JOIN before b ON true
         LEFT JOIN written w ON true`,
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
    if (row === undefined || row.serviceCenterId === null) return { write: 'unknown-vin' };
    if (row.afterState === null || row.since === null) return { write: 'unchanged' };
    return {
      write: 'stored',
      serviceCenterId: row.serviceCenterId,
      before: row.beforeState === null ? null : { state: row.beforeState, offlineReason: row.beforeReason },
      after: { state: row.afterState, offlineReason: row.afterReason },
      since: row.since,
      firmware: row.firmware,
    };
  }
}
