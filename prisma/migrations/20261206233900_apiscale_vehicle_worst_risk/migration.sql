-- The staff dashboard at fleet size, second step (issue 12 item 5, `npm run bench:api -- --fleet`).
-- Each car's worst current risk and the earliest due date at that risk, kept on the vehicle by the worker's save
-- (apps/worker/src/scoring/prediction.store.ts, in the statement that writes the predictions). The attention list
-- then reads the first rows of its center from one index, in its order, instead of ranking every prediction at or
-- above the asked risk (2,500 rows and 2,100 buffers per request at 10,000 cars); the summary counts one row per car.
ALTER TABLE "vehicles" ADD COLUMN     "worstDueAt" TIMESTAMPTZ(3),
ADD COLUMN     "worstRisk" "Risk";

-- Backfill from the current predictions: the same values the next score of each car would write.
WITH worst AS (
  SELECT "vehicleId", max(risk) AS risk FROM "predictions" GROUP BY "vehicleId"
)
UPDATE "vehicles" v
   SET "worstRisk" = w.risk,
       "worstDueAt" = (SELECT min(p."dueAt") FROM "predictions" p WHERE p."vehicleId" = w."vehicleId" AND p.risk = w.risk)
  FROM worst w
 WHERE v.id = w."vehicleId";

-- The attention list's cars in order of their worst risk; the due date is sorted within the first risk levels (an
-- incremental sort of ~200 rows for a page of 100 at 10,000 cars). worstDueAt stays out of the index on purpose: the
-- models move a due date on nearly every score (now + an estimate), and a changed indexed column would make each such
-- save a non-HOT update of the vehicle, writing all of its indexes.
CREATE INDEX "vehicles_serviceCenterId_worstRisk_idx" ON "vehicles"("serviceCenterId", "worstRisk" DESC);
