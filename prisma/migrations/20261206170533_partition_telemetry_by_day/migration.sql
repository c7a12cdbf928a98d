-- Telemetry partitioned by day on ts (issue 13 item 3). Retention then drops whole days (no DELETE churn, no
-- vacuum debt), and every query that names a time window reads only that window's partitions.
--
-- Daily: at the ingestion's design rate (10,000 samples/s, each with up to four tyre readings) a day is already
-- hundreds of millions of rows; a week would make partitions whose indexes no longer stay in memory, and the
-- retention setting is in days (TELEMETRY_RETENTION_DAYS, 400), so a day partition is dropped exactly when
-- all of it is past retention. About 400 partitions per table: PostgreSQL 15 prunes them at plan time.
--
-- Partitions are created by telemetry_partition_create() below: here for the days that hold data and the
-- next 7 days, then by the worker's housekeeping job every hour (apps/worker/src/retention). A row whose day
-- has no partition lands in the table's DEFAULT partition, never an error; the next housekeeping run moves it
-- into its day's partition.
--
-- Unique keys of a partitioned table must contain the partition key: (vehicleId, seq) becomes
-- (vehicleId, seq, ts), and the batch writer adds the check ts alone cannot give (libs/database
-- telemetry-batch.writer.ts). The copy runs inside the migration's transaction: on a large database,
-- run this in a maintenance window (ingestion waits on the lock; the broker keeps the unacknowledged messages).

-- telemetry_partition_create(parent, day): the partition "<parent>_pYYYYMMDD" for [day, day + 1) UTC, unless it
-- exists. Rows of that day sitting in "<parent>_default" are moved into it (Postgres refuses a new partition
-- while the default holds rows of its range). Returns whether it created one.
CREATE FUNCTION telemetry_partition_create(parent text, day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  part text := parent || '_p' || to_char(day, 'YYYYMMDD');
  def text := parent || '_default';
  lo timestamptz := day::timestamp AT TIME ZONE 'UTC';
  hi timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
  stranded boolean;
BEGIN
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE ts >= $1 AND ts < $2)', def) INTO stranded USING lo, hi;
  IF stranded THEN
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', parent, def);
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent, lo, hi);
  IF stranded THEN
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE ts >= $1 AND ts < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
                   def, part) USING lo, hi;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', parent, def);
  END IF;
  RETURN true;
END
$$;

-- telemetry_partitions_ensure(parent, today, ahead_days): partitions for today .. today + ahead_days and for every
-- day that has rows in the default partition. Returns how many it created.
CREATE FUNCTION telemetry_partitions_ensure(parent text, today date, ahead_days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  d date;
  created integer := 0;
BEGIN
  FOR d IN EXECUTE format(
      'SELECT DISTINCT (ts AT TIME ZONE %L)::date FROM %I UNION SELECT generate_series($1, $1 + $2, interval %L)::date ORDER BY 1',
      'UTC', parent || '_default', '1 day') USING today, ahead_days
  LOOP
    IF telemetry_partition_create(parent, d) THEN
      created := created + 1;
    END IF;
  END LOOP;
  RETURN created;
END
$$;

-- telemetry_samples ---------------------------------------------------------------------------------------
ALTER TABLE "telemetry_samples" RENAME TO "telemetry_samples_unpartitioned";
-- Frees the names; the old rows are copied, so the old table needs no index for that.
ALTER TABLE "telemetry_samples_unpartitioned" DROP CONSTRAINT "telemetry_samples_pkey";
ALTER TABLE "telemetry_samples_unpartitioned" DROP CONSTRAINT "telemetry_samples_vehicleId_fkey";
DROP INDEX "telemetry_samples_vehicleId_seq_key";
DROP INDEX "telemetry_samples_vehicleId_ts_idx";
DROP INDEX "telemetry_samples_ts_idx";

CREATE TABLE "telemetry_samples" (
    "id" BIGINT NOT NULL DEFAULT nextval('telemetry_samples_id_seq'),
    "vehicleId" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "odometerKm" DOUBLE PRECISION,
    "speedKph" DOUBLE PRECISION,
    "rpm" DOUBLE PRECISION,
    "coolantTempC" DOUBLE PRECISION,
    "fuelRateLph" DOUBLE PRECISION,
    "fuelRateEstimated" BOOLEAN NOT NULL DEFAULT false,
    "batteryV" DOUBLE PRECISION,
    "engineLoadPct" DOUBLE PRECISION,
    "intakeTempC" DOUBLE PRECISION,
    "mafGps" DOUBLE PRECISION,
    "manifoldPressureKpa" DOUBLE PRECISION,
    "throttlePct" DOUBLE PRECISION,
    "ambientTempC" DOUBLE PRECISION,
    "dtcs" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "telemetry_samples_pkey" PRIMARY KEY ("id","ts")
) PARTITION BY RANGE ("ts");
ALTER SEQUENCE "telemetry_samples_id_seq" OWNED BY "telemetry_samples"."id";
CREATE UNIQUE INDEX "telemetry_samples_vehicleId_seq_ts_key" ON "telemetry_samples"("vehicleId", "seq", "ts");
CREATE INDEX "telemetry_samples_vehicleId_ts_idx" ON "telemetry_samples"("vehicleId", "ts");
ALTER TABLE "telemetry_samples" ADD CONSTRAINT "telemetry_samples_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TABLE "telemetry_samples_default" PARTITION OF "telemetry_samples" DEFAULT;

SELECT telemetry_partition_create('telemetry_samples', d)
  FROM (SELECT DISTINCT ("ts" AT TIME ZONE 'UTC')::date AS d FROM "telemetry_samples_unpartitioned") AS days;
SELECT telemetry_partitions_ensure('telemetry_samples', (now() AT TIME ZONE 'UTC')::date, 7);

INSERT INTO "telemetry_samples" ("id", "vehicleId", "seq", "ts", "receivedAt", "odometerKm", "speedKph", "rpm", "coolantTempC",
    "fuelRateLph", "fuelRateEstimated", "batteryV", "engineLoadPct", "intakeTempC", "mafGps", "manifoldPressureKpa",
    "throttlePct", "ambientTempC", "dtcs")
  SELECT "id", "vehicleId", "seq", "ts", "receivedAt", "odometerKm", "speedKph", "rpm", "coolantTempC",
    "fuelRateLph", "fuelRateEstimated", "batteryV", "engineLoadPct", "intakeTempC", "mafGps", "manifoldPressureKpa",
    "throttlePct", "ambientTempC", "dtcs"
  FROM "telemetry_samples_unpartitioned";
DROP TABLE "telemetry_samples_unpartitioned";

-- tire_readings: by source first, so inspections (the vehicle's record, kept for good) are never in a
-- partition that retention drops; device readings then by day like the samples they come with. -------------
ALTER TABLE "tire_readings" RENAME TO "tire_readings_unpartitioned";
ALTER TABLE "tire_readings_unpartitioned" DROP CONSTRAINT "tire_readings_pkey";
ALTER TABLE "tire_readings_unpartitioned" DROP CONSTRAINT "tire_readings_vehicleId_fkey";
DROP INDEX "tire_readings_vehicleId_sampleSeq_position_key";
DROP INDEX "tire_readings_inspectionId_position_key";
DROP INDEX "tire_readings_vehicleId_position_ts_idx";
DROP INDEX "tire_readings_ts_idx";

CREATE TABLE "tire_readings" (
    "id" BIGINT NOT NULL DEFAULT nextval('tire_readings_id_seq'),
    "vehicleId" UUID NOT NULL,
    "position" "TirePosition" NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "source" "ReadingSource" NOT NULL,
    "sampleSeq" BIGINT,
    "inspectionId" UUID,
    "odometerKm" DOUBLE PRECISION,
    "treadMm" DOUBLE PRECISION,
    "pressureKpa" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tire_readings_pkey" PRIMARY KEY ("id","source","ts")
) PARTITION BY LIST ("source");
ALTER SEQUENCE "tire_readings_id_seq" OWNED BY "tire_readings"."id";
CREATE UNIQUE INDEX "tire_readings_vehicleId_sampleSeq_position_source_ts_key" ON "tire_readings"("vehicleId", "sampleSeq", "position", "source", "ts");
CREATE UNIQUE INDEX "tire_readings_inspectionId_position_source_ts_key" ON "tire_readings"("inspectionId", "position", "source", "ts");
CREATE INDEX "tire_readings_vehicleId_position_ts_idx" ON "tire_readings"("vehicleId", "position", "ts");
ALTER TABLE "tire_readings" ADD CONSTRAINT "tire_readings_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE TABLE "tire_readings_inspection" PARTITION OF "tire_readings" FOR VALUES IN ('INSPECTION');
-- An inspection is identified by its id alone; the table-wide key above has to carry source and ts.
CREATE UNIQUE INDEX "tire_readings_inspection_inspectionId_position_key" ON "tire_readings_inspection"("inspectionId", "position");
CREATE TABLE "tire_readings_device" PARTITION OF "tire_readings" FOR VALUES IN ('DEVICE') PARTITION BY RANGE ("ts");
CREATE TABLE "tire_readings_device_default" PARTITION OF "tire_readings_device" DEFAULT;

SELECT telemetry_partition_create('tire_readings_device', d)
  FROM (SELECT DISTINCT ("ts" AT TIME ZONE 'UTC')::date AS d FROM "tire_readings_unpartitioned" WHERE "source" = 'DEVICE') AS days;
SELECT telemetry_partitions_ensure('tire_readings_device', (now() AT TIME ZONE 'UTC')::date, 7);

INSERT INTO "tire_readings" ("id", "vehicleId", "position", "ts", "source", "sampleSeq", "inspectionId", "odometerKm", "treadMm",
    "pressureKpa", "createdAt")
  SELECT "id", "vehicleId", "position", "ts", "source", "sampleSeq", "inspectionId", "odometerKm", "treadMm",
    "pressureKpa", "createdAt"
  FROM "tire_readings_unpartitioned";
DROP TABLE "tire_readings_unpartitioned";
