-- Every telemetry batch updates "lastTelemetryAt" of the vehicles it touched; indexed, those updates
-- cannot be HOT updates and churn the index at ingest rate. Nothing queries by it.
DROP INDEX "vehicles_lastTelemetryAt_idx";
