-- The retention sweep deletes by age (ts / "receivedAt" < cutoff). BRIN indexes are a few pages for
-- time-ordered tables and cost ingestion almost nothing, unlike a B-tree on the hot telemetry table.
CREATE INDEX "telemetry_samples_ts_idx" ON "telemetry_samples" USING BRIN ("ts");
CREATE INDEX "tire_readings_ts_idx" ON "tire_readings" USING BRIN ("ts");
CREATE INDEX "rejected_messages_receivedAt_idx" ON "rejected_messages" USING BRIN ("receivedAt");
