-- Staff-confirmed odometer changes (issue 11 item 5): the models take each as a new odometer baseline.
CREATE TABLE "odometer_corrections" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "effectiveAt" TIMESTAMPTZ(3) NOT NULL,
    "odometerKm" DOUBLE PRECISION NOT NULL,
    "note" TEXT,
    "confirmedById" UUID NOT NULL,
    "confirmedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "odometer_corrections_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "odometer_corrections_vehicleId_effectiveAt_idx" ON "odometer_corrections"("vehicleId", "effectiveAt");

ALTER TABLE "odometer_corrections" ADD CONSTRAINT "odometer_corrections_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
