-- Scoring bookkeeping by counter rather than clock: a vehicle needs scoring while
-- "scoredVersion" < "telemetryVersion", whatever happened to its queued job.
ALTER TABLE "vehicles" ADD COLUMN "telemetryVersion" BIGINT NOT NULL DEFAULT 0;
ALTER TABLE "vehicles" ADD COLUMN "scoredVersion" BIGINT NOT NULL DEFAULT 0;
