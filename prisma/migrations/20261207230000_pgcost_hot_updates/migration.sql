-- Fleet-scale scoring (issue 12): let a score's updates be HOT (heap-only: the new row version on the old one's page,
-- no new index entries, less for vacuum). An UPDATE is HOT only when no indexed column changes and the page has room.
--
-- 1. predictions(risk, vehicleId, dueAt) served the first attention and summary statements; both now read the
--    vehicle's own worstRisk (migration apiscale_vehicle_worst_risk) and nothing reads predictions by risk first
--    (they look a car's rows up by vehicleId). Its dueAt moves on most scores of a wearing component, so every such
--    update wrote a new entry into all three of the table's indexes.
DROP INDEX IF EXISTS "predictions_risk_vehicleId_dueAt_idx";

-- 2. Room on each page for the next version of its rows: every score rewrites its car's predictions, ingestion its
--    vehicle row every few seconds, and a score that closes a drive its model states. Applies to pages written from
--    now on (a table's existing pages keep their density until they are rewritten, e.g. by VACUUM FULL).
ALTER TABLE "predictions" SET (fillfactor = 70);
ALTER TABLE "vehicle_model_states" SET (fillfactor = 70);
ALTER TABLE "vehicles" SET (fillfactor = 80);
