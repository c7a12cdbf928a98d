-- Incremental scoring (issue 12): each model's folded summary of the closed telemetry segments is saved
-- beside its state, with the summary's version and how far it reaches; ingestion records the oldest sample
-- that arrived late enough to fall into a closed segment, so the scorer knows to rebuild.
ALTER TABLE "vehicle_model_states"
  ADD COLUMN "summary" JSONB,
  ADD COLUMN "summaryVersion" TEXT,
  ADD COLUMN "closedUntil" TIMESTAMPTZ(3);

ALTER TABLE "vehicles" ADD COLUMN "lateSampleTs" TIMESTAMPTZ(3);
