-- "All vehicles" (GET /dashboard/vehicles): a center's cars searched by prefix and paged by keyset.
-- pg_trgm is not assumed installed, so the search is by prefix, which btree pattern_ops indexes serve
-- (LIKE 'ABC%' is an index range in any collation with *_pattern_ops). Each leads with the center: every
-- query is scoped to one.
CREATE INDEX "vehicles_center_vin_prefix_idx" ON "vehicles" ("serviceCenterId", "vin" varchar_pattern_ops);
CREATE INDEX "vehicles_center_plate_prefix_idx" ON "vehicles" ("serviceCenterId", upper("plate") text_pattern_ops);
CREATE INDEX "users_name_prefix_idx" ON "users" (lower("name") text_pattern_ops);
-- The keyset order "last telemetry, newest first" (the other sorts are computed or joined per query).
CREATE INDEX "vehicles_center_last_telemetry_idx" ON "vehicles" ("serviceCenterId", "lastTelemetryAt" DESC NULLS LAST, "id");
