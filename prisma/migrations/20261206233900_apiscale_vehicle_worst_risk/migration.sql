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

-- CreateIndex
CREATE INDEX "vehicles_serviceCenterId_worstRisk_worstDueAt_id_idx" ON "vehicles"("serviceCenterId", "worstRisk" DESC, "worstDueAt", "id");
