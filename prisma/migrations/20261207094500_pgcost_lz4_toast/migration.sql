-- Fleet-scale scoring (issue 12): the large jsonb columns a score writes are compressed with lz4 instead of pglz
-- (the server's default_toast_compression). Every score rewrites its predictions' evidence and findings (~19 KB)
-- and, on about one score in four, its models' summaries (~68 KB); Postgres compressed each with pglz on every
-- write and decompressed it on every read and comparison. See README, "Incremental scoring (issue 12)", for the
-- measured Postgres CPU per score with each.
--
-- Only the column's method changes (a catalog update, no rewrite): existing values keep pglz until they are next
-- written, and both kinds read the same. Needs a server built with lz4 (Debian's and the official images' are).
ALTER TABLE "predictions"
  ALTER COLUMN "evidence" SET COMPRESSION lz4,
  ALTER COLUMN "findings" SET COMPRESSION lz4,
  ALTER COLUMN "confidence" SET COMPRESSION lz4;
ALTER TABLE "prediction_snapshots"
  ALTER COLUMN "evidence" SET COMPRESSION lz4,
  ALTER COLUMN "findings" SET COMPRESSION lz4,
  ALTER COLUMN "confidence" SET COMPRESSION lz4;
ALTER TABLE "vehicle_model_states"
  ALTER COLUMN "state" SET COMPRESSION lz4,
  ALTER COLUMN "summary" SET COMPRESSION lz4;
