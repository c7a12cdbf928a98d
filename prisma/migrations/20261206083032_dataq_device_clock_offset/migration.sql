-- The device clock correction ingestion applies to a vehicle's samples (issue 11 item 6).
ALTER TABLE "vehicles" ADD COLUMN "deviceClockOffsetMs" INTEGER,
                       ADD COLUMN "deviceClockOffsetAt" TIMESTAMPTZ(3);
