import type pg from 'pg';

/** Bench-owned rows and the score log, in the bench's own database (never the shared one). */
export const BENCH_CENTER_ID = '00000000-0000-0000-0000-00000000f001';

/**
 * Registers `vins` as cars of one service center, each with its own owner who wants in-app messages only (no
 * push endpoint or mailbox exists here: the in-app channel is the owner's phone in this bench).
 */
export async function seedFleet(pool: pg.Pool, vins: readonly string[]): Promise<void> {
  await pool.query(`INSERT INTO service_centers (id, name) VALUES ($1, 'Fleet bench center') ON CONFLICT DO NOTHING`, [BENCH_CENTER_ID]);
  await pool.query(
    `WITH cars AS (SELECT vin, ordinality AS n FROM unnest($1::text[]) WITH ORDINALITY AS vin),
          owners AS (
            INSERT INTO users (id, email, "passwordHash", role, name, "serviceCenterId")
            SELECT gen_random_uuid(), 'owner-' || vin || '@bench-fleet.local', '-', 'OWNER', 'Owner ' || n, $2::uuid FROM cars
            RETURNING id, email),
          prefs AS (
            INSERT INTO notification_preferences ("userId", channels, "updatedAt") SELECT id, '{IN_APP}', now() FROM owners)
     INSERT INTO vehicles (id, vin, make, model, year, "serviceCenterId", "ownerId")
     SELECT gen_random_uuid(), c.vin, 'Bench', 'Car', 2022, $2::uuid, o.id
     FROM cars c JOIN owners o ON o.email = 'owner-' || c.vin || '@bench-fleet.local'`,
    [vins, BENCH_CENTER_ID],
  );
}

/**
 * Logs every score as the worker records it (`lastScoredAt` is the score's start, `scoredVersion` the telemetry
 * version it read; the row is written once its predictions and reminders are committed). A column trigger: ingestion's per-batch update of the vehicle does not
 * set lastScoredAt, so it does not fire there and costs the telemetry path nothing.
 */
export async function installScoreLog(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS bench_fleet_scores (
      "vehicleId" uuid NOT NULL, "scoredAt" timestamptz(3) NOT NULL, "scoredVersion" bigint NOT NULL,
      "loggedAt" timestamptz(3) NOT NULL DEFAULT clock_timestamp());
    CREATE INDEX IF NOT EXISTS bench_fleet_scores_vehicle ON bench_fleet_scores ("vehicleId", "scoredAt");
    CREATE OR REPLACE FUNCTION bench_fleet_log_score() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO bench_fleet_scores ("vehicleId", "scoredAt", "scoredVersion") VALUES (NEW.id, NEW."lastScoredAt", NEW."scoredVersion");
      RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS bench_fleet_log_score ON vehicles;
    CREATE TRIGGER bench_fleet_log_score AFTER UPDATE OF "lastScoredAt" ON vehicles FOR EACH ROW
      WHEN (NEW."lastScoredAt" IS DISTINCT FROM OLD."lastScoredAt") EXECUTE FUNCTION bench_fleet_log_score();`);
}

export interface CarClock {
  /** Device time of the newest sample stored. */
  lastSampleMs: number | null;
  /** The time of the newest score: it read the samples up to then. */
  lastScoredMs: number | null;
}

export async function readCarClocks(pool: pg.Pool): Promise<CarClock[]> {
  const { rows } = await pool.query<{ sample: Date | null; scored: Date | null }>(
    `SELECT "lastSampleTs" AS sample, "lastScoredAt" AS scored FROM vehicles WHERE "serviceCenterId" = $1`,
    [BENCH_CENTER_ID],
  );
  return rows.map((row) => ({ lastSampleMs: row.sample?.getTime() ?? null, lastScoredMs: row.scored?.getTime() ?? null }));
}

/**
 * Staleness of each car's prediction: how much newer its newest sample is than its newest score (0 when the score
 * is newer). A car never scored is as stale as its telemetry is long (from `liveStartMs`); a car that has not
 * reported yet has no prediction to be stale and is left out.
 */
export function stalenessMs(cars: readonly CarClock[], liveStartMs: number): number[] {
  return cars.flatMap((car) => {
    if (car.lastSampleMs === null) return [];
    if (car.lastScoredMs === null) return [Math.max(0, car.lastSampleMs - liveStartMs)];
    return [Math.max(0, car.lastSampleMs - car.lastScoredMs)];
  });
}

/** The simulator's samples stored (the injected warnings left out, `excluded`: VIN -> seq). */
export async function countStoredSamples(pool: pg.Pool, excluded: ReadonlyMap<string, { seq: number }>): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM telemetry_samples s JOIN vehicles v ON v.id = s."vehicleId"
     WHERE v."serviceCenterId" = $1
       AND (v.vin, s.seq) NOT IN (SELECT * FROM unnest($2::text[], $3::bigint[]))`,
    [BENCH_CENTER_ID, [...excluded.keys()], [...excluded.values()].map((warning) => warning.seq)],
  );
  return Number(rows[0]?.n ?? 0);
}

export interface DeliveryCounts {
  reminders: number;
  delivered: number;
  pending: number;
  failed: number;
}

export async function countReminders(pool: pg.Pool): Promise<DeliveryCounts> {
  const { rows } = await pool.query<{ reminders: string; delivered: string; pending: string; failed: string }>(
    `SELECT (SELECT count(*) FROM reminders WHERE "serviceCenterId" = $1) AS reminders,
            count(*) FILTER (WHERE d.status = 'SENT') AS delivered,
            count(*) FILTER (WHERE d.status IN ('PENDING', 'HELD')) AS pending,
            count(*) FILTER (WHERE d.status IN ('FAILED', 'GONE')) AS failed
     FROM notification_deliveries d JOIN reminders r ON r.id = d."reminderId" WHERE r."serviceCenterId" = $1`,
    [BENCH_CENTER_ID],
  );
  const row = rows[0];
  return {
    reminders: Number(row?.reminders ?? 0),
    delivered: Number(row?.delivered ?? 0),
    pending: Number(row?.pending ?? 0),
    failed: Number(row?.failed ?? 0),
  };
}

export async function countScores(pool: pg.Pool, sinceMs: number): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM bench_fleet_scores WHERE "loggedAt" >= $1`, [new Date(sinceMs)]);
  return Number(rows[0]?.n ?? 0);
}

export interface WarningOutcome {
  vin: string;
  /** When the injected sample was committed (null: not stored). */
  storedMs: number | null;
  /** The end of the first score that started after the commit (its predictions and reminders committed). */
  scoredMs: number | null;
  /** The first in-app message sent to the owner for a reminder created after the injection. */
  ownerMs: number | null;
}

export interface InjectedWarning {
  seq: number;
  publishedMs: number;
  /** The component whose reminder answers this sign (DIAGNOSTICS for a code, TIRES for a pressure drop). */
  component: 'DIAGNOSTICS' | 'TIRES';
}

/**
 * The vehicle's telemetry version once its injected sample is stored, for the VINs whose sample is stored now. Read
 * within a second of the commit (the car's next routine sample is an interval away), it is the version a score must
 * have read to have seen the warning: a score's start time cannot tell, since it reads some time after it starts.
 */
export async function readInjectedVersions(pool: pg.Pool, pending: ReadonlyMap<string, InjectedWarning>): Promise<Map<string, bigint>> {
  const entries = [...pending];
  const { rows } = await pool.query<{ vin: string; version: string }>(
    `SELECT v.vin, v."telemetryVersion" AS version
     FROM unnest($1::text[], $2::bigint[]) AS i(vin, seq)
     JOIN vehicles v ON v.vin = i.vin JOIN telemetry_samples s ON s."vehicleId" = v.id AND s.seq = i.seq`,
    [entries.map(([vin]) => vin), entries.map(([, warning]) => warning.seq)],
  );
  return new Map(rows.map((row) => [row.vin, BigInt(row.version)]));
}

/** When each injected warning was stored, first scored (by a score that read its version) and told to the owner. */
export async function readWarningOutcomes(
  pool: pg.Pool,
  injected: ReadonlyMap<string, InjectedWarning>,
  versions: ReadonlyMap<string, bigint>,
): Promise<WarningOutcome[]> {
  const entries = [...injected];
  const { rows } = await pool.query<{ vin: string; stored: Date | null; scored: Date | null; owner: Date | null }>(
    `WITH inj AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::bigint[])
                    AS i(vin, seq, published, component, version))
     SELECT inj.vin, s."receivedAt" AS stored,
       (SELECT min(l."loggedAt") FROM bench_fleet_scores l WHERE l."vehicleId" = v.id AND l."scoredVersion" >= inj.version) AS scored,
       (SELECT min(d."sentAt") FROM notification_deliveries d JOIN reminders r ON r.id = d."reminderId"
         WHERE r."vehicleId" = v.id AND r.component::text = inj.component AND d.channel = 'IN_APP' AND d.status = 'SENT'
           AND d."createdAt" >= inj.published) AS owner
     FROM inj JOIN vehicles v ON v.vin = inj.vin
     LEFT JOIN telemetry_samples s ON s."vehicleId" = v.id AND s.seq = inj.seq`,
    [
      entries.map(([vin]) => vin),
      entries.map(([, warning]) => warning.seq),
      entries.map(([, warning]) => new Date(warning.publishedMs)),
      entries.map(([, warning]) => warning.component),
      // Not stored (yet): no version, so no score can count as having seen it.
      entries.map(([vin]) => (versions.get(vin) ?? 2n ** 62n).toString()),
    ],
  );
  return rows.map((row) => ({
    vin: row.vin,
    storedMs: row.stored?.getTime() ?? null,
    scoredMs: row.scored?.getTime() ?? null,
    ownerMs: row.owner?.getTime() ?? null,
  }));
}

export interface PunctureFollowUps {
  cars: number;
  /** Front-left readings under ingestion's prompt limit (180 kPa) stored after the injected one, from the car's own samples. */
  lowAfter: number;
  /** Normal ones after it: the simulator contradicting the puncture (should be 0). */
  normalAfter: number;
  /** Low ones before it: the simulator's puncture came first (the bench published late). */
  lowBefore: number;
}

/** What the pressure-drop cars' own samples said of the front-left tyre around the injected reading. */
export async function readPunctureFollowUps(pool: pg.Pool, injected: ReadonlyMap<string, InjectedWarning>): Promise<PunctureFollowUps> {
  const entries = [...injected];
  const { rows } = await pool.query<{ low_after: string; normal_after: string; low_before: string }>(
    `WITH inj AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) AS i(vin, seq, published))
     SELECT count(*) FILTER (WHERE t.ts > inj.published AND t."pressureKpa" < 180) AS low_after,
            count(*) FILTER (WHERE t.ts > inj.published AND t."pressureKpa" >= 180) AS normal_after,
            count(*) FILTER (WHERE t.ts < inj.published AND t."pressureKpa" < 180) AS low_before
     FROM inj JOIN vehicles v ON v.vin = inj.vin
     JOIN tire_readings t ON t."vehicleId" = v.id AND t.source = 'DEVICE' AND t.position = 'FL' AND t."sampleSeq" <> inj.seq`,
    [entries.map(([vin]) => vin), entries.map(([, w]) => w.seq), entries.map(([, w]) => new Date(w.publishedMs))],
  );
  const row = rows[0];
  return {
    cars: entries.length,
    lowAfter: Number(row?.low_after ?? 0),
    normalAfter: Number(row?.normal_after ?? 0),
    lowBefore: Number(row?.low_before ?? 0),
  };
}
