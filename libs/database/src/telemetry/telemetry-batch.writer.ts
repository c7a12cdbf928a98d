import type pg from 'pg';
import { LATE_ARRIVAL_MS } from '#app/maintenance/incremental';
import type { TelemetrySample } from '#app/telemetry';

export interface VehicleSample {
  vehicleId: string;
  sample: TelemetrySample;
}

export interface RejectionRecord {
  topic: string;
  vin?: string;
  vehicleId?: string;
  serviceCenterId?: string;
  reason: string;
  detail: string;
  /** -1 for a whole-message rejection. */
  sampleIndex: number;
  payloadBytes: number;
  payloadExcerpt: string;
  messageHash: string;
}

export interface BatchWriteResult {
  /** New rows; samples already stored (same vehicle + seq) are not counted. */
  stored: number;
  duplicates: number;
  rejectionsStored: number;
  /** Vehicles that received at least one new sample. */
  touchedVehicleIds: string[];
  /** Those of them that have never been scored (a car's first telemetry: ingestion asks for a score at once). */
  neverScoredVehicleIds: string[];
}

const num = (value: number | undefined): number | null => (value === undefined ? null : value);

/** The device clock correction ingestion applied to a vehicle's samples (0 when none): sent only on change. */
export interface DeviceClockOffset {
  vehicleId: string;
  offsetMs: number;
}

/**
 * How far apart two deliveries of one sample can be stored. The tables are partitioned by ts, so their unique
 * key is (vehicle, seq, ts): it catches a redelivery only when its ts is identical. Ingestion corrects a fast
 * device clock by an offset estimated in memory, so a redelivery after a restart can carry a ts a few
 * minutes off (uncorrected below the 5-minute contract skew, or corrected by an estimate whose spread is at
 * most a minute). Within this window, the same (vehicle, seq) is the same sample. The check probes the unique
 * index on (vehicle, seq, ts) of one or two day partitions per sample. It is a LATERAL ... LIMIT 1, not NOT EXISTS:
 * Postgres turns NOT EXISTS into a hash anti join that reads every partition whole (seen in EXPLAIN); a lateral
 * subquery with LIMIT stays a per-row index probe, its partitions pruned at plan time to the batch's span
 * (batchSpan) and at run time to the row's.
 */
const REDELIVERY_WINDOW_MS = 3_600_000;
const REDELIVERY_WINDOW = `${String(REDELIVERY_WINDOW_MS)} milliseconds`;

/**
 * Where any stored delivery of the batch's samples can be: from its first ts less REDELIVERY_WINDOW to its last
 * plus it, as two plain timestamps. The probe's own bounds come from each row, so Postgres can prune by them only
 * at run time, and it plans (and locks) every partition for every batch: 70-140 ms of planning per batch at 140
 * partitions (npm run bench:plans). Constants, computed here rather than in SQL (timestamptz - interval is not
 * immutable, so the planner would not prune by it either), keep the plan to the batch's days.
 */
function batchSpan(timestamps: readonly Date[]): [Date, Date] {
  let first = Infinity;
  let last = -Infinity;
  for (const ts of timestamps) {
    first = Math.min(first, ts.getTime());
    last = Math.max(last, ts.getTime());
  }
  return [new Date(first - REDELIVERY_WINDOW_MS), new Date(last + REDELIVERY_WINDOW_MS)];
}

/**
 * The transaction's start, with the lock its inserts take anyway on the parents of the day-partitioned tables (ONLY:
 * not their partitions) taken before any lock on `vehicles`. The partition sweep (apps/worker/src/retention) locks a
 * parent and then `vehicles` (a partition's foreign-key triggers live there); a batch that held a car and then waited
 * on the parent would close the circle, and the sweep, which waits at most its lock timeout, would never get through
 * while ingestion runs (test/worker/retention-locks.e2e.ts). One round trip: simple-protocol statements, no parameters.
 */
const BEGIN_LOCKING_PARTITIONED_TABLES = `BEGIN;
  LOCK TABLE ONLY telemetry_samples, tire_readings_device IN ROW EXCLUSIVE MODE`;

/**
 * The same before the partitioning migration, when tire_readings_device does not exist yet: the writer works on both
 * layouts. A DO block is compiled on every run (0.18 ms of Postgres per batch in bench:fleet --pg-statements, as much
 * as the vehicles' lock), so it is used only until the writer has seen the partitioned layout (TelemetryBatchWriter).
 */
const BEGIN_LOCKING_EITHER_LAYOUT = `BEGIN;
  LOCK TABLE ONLY telemetry_samples IN ROW EXCLUSIVE MODE;
  DO $$ BEGIN
    IF to_regclass('tire_readings_device') IS NOT NULL THEN LOCK TABLE ONLY tire_readings_device IN ROW EXCLUSIVE MODE; END IF;
  END $$`;

/**
 * Group commit of telemetry: one transaction, one statement per table, whatever the batch size.
 * Arrays are passed as parameters and expanded with unnest(), so a batch of 2,000 samples is three
 * round trips, not 2,000. (vehicleId, seq) identifies a sample: a redelivered one is skipped, not stored
 * twice (ON CONFLICT for the same ts, REDELIVERY_WINDOW for a corrected one).
 * ON CONFLICT names no key: the unique key is (vehicleId, seq) before the partitioning migration and
 * (vehicleId, seq, ts) after it, and this writer works on both (deploy it first, migrate in a maintenance
 * window, no ingestion error in between; bench:ingest --compare-layouts runs it on both). The other unique
 * keys cannot conflict here (the primary key's id comes from a sequence; device tyre rows have no inspectionId).
 */
export class TelemetryBatchWriter {
  /** Seen once, true for good: a database is migrated forwards only, so the layout never goes back. */
  private partitioned = false;

  constructor(private readonly pool: pg.Pool) {}

  async write(samples: VehicleSample[], rejections: RejectionRecord[], clockOffsets: readonly DeviceClockOffset[] = []): Promise<BatchWriteResult> {
    const client = await this.pool.connect();
    try {
      await client.query(await this.beginStatement(client));
      await this.lockVehicles(client, samples, clockOffsets);
      const { stored, touchedVehicleIds, neverScoredVehicleIds } = await this.insertSamples(client, samples);
      await this.recordClockOffsets(client, clockOffsets);
      await this.insertTireReadings(client, samples);
      const rejectionsStored = await this.insertRejections(client, rejections);
      await client.query('COMMIT');
      client.release();
      return { stored, duplicates: samples.length - stored, rejectionsStored, touchedVehicleIds, neverScoredVehicleIds };
    } catch (error) {
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      // A connection that could not even roll back (terminated, timed out mid-query) is discarded, not pooled.
      client.release(rolledBack ? undefined : (error as Error));
      throw error;
    }
  }

  /** Until the partitioned layout is seen, each write asks for it (one catalogue lookup) and locks for either layout. */
  private async beginStatement(client: pg.PoolClient): Promise<string> {
    if (!this.partitioned) {
      const { rows } = await client.query<{ partitioned: boolean }>(`SELECT to_regclass('tire_readings_device') IS NOT NULL AS partitioned`);
      this.partitioned = rows[0].partitioned;
    }
    return this.partitioned ? BEGIN_LOCKING_PARTITIONED_TABLES : BEGIN_LOCKING_EITHER_LAYOUT;
  }

  /**
   * Takes the row locks this batch's updates of `vehicles` will need, in id order, before any of them. The updates
   * themselves lock in whatever order their plans visit the cars (a hash of the inserted ones, then the clock offsets in
   * message order, for cars whose samples were all redeliveries), so two replicas committing batches that share cars
   * could each hold a car the other waits for: Postgres then aborts one as a deadlock victim after a second, and it
   * is written again (seen in a fault test's log; test/ingestion/batch-lock-order.e2e.ts makes it happen). FOR NO KEY
   * UPDATE is the lock those updates take anyway, so it stalls nothing they would not have; the other writers of a
   * vehicle row lock one car each. ORDER BY before FOR ... UPDATE: Postgres locks the rows as the sort emits them.
   */
  private async lockVehicles(client: pg.PoolClient, rows: readonly VehicleSample[], offsets: readonly DeviceClockOffset[]): Promise<void> {
    const ids = new Set<string>();
    for (const row of rows) ids.add(row.vehicleId);
    for (const offset of offsets) ids.add(offset.vehicleId);
    if (ids.size === 0) return;
    await client.query('SELECT 1 FROM vehicles WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE', [[...ids]]);
  }

  private async insertSamples(
    client: pg.PoolClient,
    rows: VehicleSample[],
  ): Promise<{ stored: number; touchedVehicleIds: string[]; neverScoredVehicleIds: string[] }> {
    if (rows.length === 0) return { stored: 0, touchedVehicleIds: [], neverScoredVehicleIds: [] };
    const column = <T>(pick: (s: TelemetrySample) => T) => rows.map((row) => pick(row.sample));
    // The vehicle row is updated in the same statement from what was really inserted, so its version
    // counter and latest odometer never disagree with the samples table. A sample that arrived later than
    // LATE_ARRIVAL_MS after its time may fall into a segment the models already folded: lateSampleTs
    // tells the scorer to rebuild their summaries (libs/maintenance/src/incremental).
    const result = await client.query<{ id: string; inserted: string; never_scored: boolean }>(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::float8[], $5::float8[], $6::float8[],
                              $7::float8[], $8::float8[], $9::bool[], $10::float8[], $11::float8[], $12::float8[],
                              $13::float8[], $14::float8[], $15::float8[], $16::float8[], $17::text[])
           AS t(vehicle_id, seq, ts, odometer, speed, rpm, coolant, fuel, fuel_est, battery, load, intake, maf, map,
                throttle, ambient, dtcs)
       ), fresh AS (
         SELECT DISTINCT ON (i.vehicle_id, i.seq) i.* FROM input i
         LEFT JOIN LATERAL (SELECT true AS found FROM telemetry_samples s
                             WHERE s."vehicleId" = i.vehicle_id AND s.seq = i.seq
                               AND s.ts >= i.ts - $18::interval AND s.ts <= i.ts + $18::interval
                               AND s.ts >= $20::timestamptz AND s.ts <= $21::timestamptz LIMIT 1) stored ON true
         WHERE stored.found IS NULL
         ORDER BY i.vehicle_id, i.seq, i.ts
       ), inserted AS (
         INSERT INTO telemetry_samples ("vehicleId", seq, ts, "receivedAt", "odometerKm", "speedKph", rpm, "coolantTempC",
           "fuelRateLph", "fuelRateEstimated", "batteryV", "engineLoadPct", "intakeTempC", "mafGps",
           "manifoldPressureKpa", "throttlePct", "ambientTempC", dtcs)
         SELECT vehicle_id, seq, ts, clock_timestamp(), odometer, speed, rpm, coolant, fuel, fuel_est, battery, load, intake, maf, map,
           throttle, ambient, CASE WHEN dtcs = '' THEN '{}'::text[] ELSE string_to_array(dtcs, ',') END
         FROM fresh
         ON CONFLICT DO NOTHING
         RETURNING "vehicleId", ts, "odometerKm"
       ), per_vehicle AS (
         SELECT "vehicleId", count(*) AS inserted, max(ts) AS newest_ts,
                min(ts) FILTER (WHERE ts < clock_timestamp() - make_interval(secs => $19::float8 / 1000)) AS late_ts,
                (array_agg("odometerKm" ORDER BY ts DESC) FILTER (WHERE "odometerKm" IS NOT NULL))[1] AS newest_odometer
         FROM inserted GROUP BY "vehicleId"
       )
       UPDATE vehicles v SET
         "telemetryVersion" = v."telemetryVersion" + 1,
         "lastTelemetryAt" = clock_timestamp(),
         "odometerKm" = CASE WHEN p.newest_odometer IS NOT NULL AND (v."lastSampleTs" IS NULL OR p.newest_ts >= v."lastSampleTs")
                             THEN p.newest_odometer ELSE v."odometerKm" END,
         "lastSampleTs" = greatest(v."lastSampleTs", p.newest_ts),
         "lateSampleTs" = least(v."lateSampleTs", p.late_ts)
       FROM per_vehicle p WHERE v.id = p."vehicleId"
       RETURNING v.id, p.inserted, v."lastScoredAt" IS NULL AS never_scored`,
      [
        rows.map((row) => row.vehicleId),
        column((s) => s.seq),
        column((s) => s.ts),
        column((s) => num(s.odometerKm)),
        column((s) => num(s.speedKph)),
        column((s) => num(s.rpm)),
        column((s) => num(s.coolantTempC)),
        column((s) => num(s.fuelRateLph)),
        column((s) => s.fuelRateEstimated ?? false),
        column((s) => num(s.batteryV)),
        column((s) => num(s.engineLoadPct)),
        column((s) => num(s.intakeTempC)),
        column((s) => num(s.mafGps)),
        column((s) => num(s.manifoldPressureKpa)),
        column((s) => num(s.throttlePct)),
        column((s) => num(s.ambientTempC)),
        column((s) => (s.dtcs ?? []).join(',')),
        REDELIVERY_WINDOW,
        LATE_ARRIVAL_MS,
        ...batchSpan(rows.map((row) => row.sample.ts)),
      ],
    );
    let stored = 0;
    for (const row of result.rows) stored += Number(row.inserted);
    return {
      stored,
      touchedVehicleIds: result.rows.map((row) => row.id),
      neverScoredVehicleIds: result.rows.filter((row) => row.never_scored).map((row) => row.id),
    };
  }

  private async recordClockOffsets(client: pg.PoolClient, offsets: readonly DeviceClockOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await client.query(
      `UPDATE vehicles v SET "deviceClockOffsetMs" = o.offset_ms, "deviceClockOffsetAt" = clock_timestamp()
         FROM unnest($1::uuid[], $2::int[]) AS o(id, offset_ms) WHERE v.id = o.id`,
      [offsets.map((o) => o.vehicleId), offsets.map((o) => o.offsetMs)],
    );
  }

  private async insertTireReadings(client: pg.PoolClient, rows: VehicleSample[]): Promise<void> {
    const vehicleIds: string[] = [];
    const seqs: number[] = [];
    const positions: string[] = [];
    const timestamps: Date[] = [];
    const odometers: (number | null)[] = [];
    const treads: (number | null)[] = [];
    const pressures: (number | null)[] = [];
    for (const { vehicleId, sample } of rows) {
      if (!sample.tires) continue;
      for (const [position, tire] of Object.entries(sample.tires)) {
        if (!tire || (tire.treadMm === undefined && tire.pressureKpa === undefined)) continue;
        vehicleIds.push(vehicleId);
        seqs.push(sample.seq);
        positions.push(position);
        timestamps.push(sample.ts);
        odometers.push(num(sample.odometerKm));
        treads.push(num(tire.treadMm));
        pressures.push(num(tire.pressureKpa));
      }
    }
    if (vehicleIds.length === 0) return;
    await client.query(
      `INSERT INTO tire_readings ("vehicleId", "sampleSeq", position, ts, "odometerKm", "treadMm", "pressureKpa", source)
       SELECT v, s, p::"TirePosition", t, o, tr, pr, 'DEVICE'
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::timestamptz[], $5::float8[], $6::float8[], $7::float8[])
         AS x(v, s, p, t, o, tr, pr)
       LEFT JOIN LATERAL (SELECT true AS found FROM tire_readings r
                           WHERE r."vehicleId" = x.v AND r."sampleSeq" = x.s AND r.position = x.p::"TirePosition"
                             AND r.source = 'DEVICE' AND r.ts >= x.t - $8::interval AND r.ts <= x.t + $8::interval
                             AND r.ts >= $9::timestamptz AND r.ts <= $10::timestamptz LIMIT 1) stored ON true
       WHERE stored.found IS NULL
       ON CONFLICT DO NOTHING`,
      [vehicleIds, seqs, positions, timestamps, odometers, treads, pressures, REDELIVERY_WINDOW, ...batchSpan(timestamps)],
    );
  }

  private async insertRejections(client: pg.PoolClient, rows: RejectionRecord[]): Promise<number> {
    if (rows.length === 0) return 0;
    const column = <T>(pick: (r: RejectionRecord) => T) => rows.map(pick);
    const result = await client.query(
      `INSERT INTO rejected_messages (topic, vin, "vehicleId", "serviceCenterId", reason, detail, "sampleIndex",
         "payloadBytes", "payloadExcerpt", "messageHash")
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int[],
         $8::int[], $9::text[], $10::text[])
       ON CONFLICT ("messageHash", "sampleIndex") DO NOTHING`,
      [
        column((r) => r.topic),
        column((r) => r.vin ?? null),
        column((r) => r.vehicleId ?? null),
        column((r) => r.serviceCenterId ?? null),
        column((r) => r.reason),
        column((r) => r.detail),
        column((r) => r.sampleIndex),
        column((r) => r.payloadBytes),
        column((r) => r.payloadExcerpt),
        column((r) => r.messageHash),
      ],
    );
    return result.rowCount ?? 0;
  }
}
