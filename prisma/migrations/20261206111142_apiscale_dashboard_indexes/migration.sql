-- The staff dashboard and health history at fleet size (issue 12 item 5, `npm run bench:api -- --fleet`).
-- A vehicle's history page, newest first across its components: read from the index in order and stop at
-- the page, instead of fetching and sorting every snapshot the vehicle has (540 rows, each on its own page,
-- after 90 days).
CREATE INDEX "prediction_snapshots_vehicleId_scoredAt_id_idx" ON "prediction_snapshots"("vehicleId", "scoredAt" DESC, "id" DESC);

-- The attention list looks only at predictions at or above a risk (a few % of them): this finds those
-- rows, with what the ranking needs, without reading the wide prediction rows (evidence, findings).
CREATE INDEX "predictions_risk_vehicleId_dueAt_idx" ON "predictions"("risk", "vehicleId", "dueAt");

-- The summary's worst risk per vehicle, from the index alone.
CREATE INDEX "predictions_vehicleId_risk_idx" ON "predictions"("vehicleId", "risk");
