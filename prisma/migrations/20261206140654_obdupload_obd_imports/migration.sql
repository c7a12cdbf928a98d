-- OBD-II logs uploaded by staff (issue 14 item 5): one row per upload, with the per-column report it answered.
-- CreateTable
CREATE TABLE "obd_imports" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "importedById" UUID NOT NULL,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fileName" TEXT NOT NULL,
    "fileBytes" INTEGER NOT NULL,
    "fileSha256" CHAR(64) NOT NULL,
    "format" TEXT NOT NULL,
    "rowsRead" INTEGER NOT NULL,
    "stored" INTEGER NOT NULL,
    "alreadyStored" INTEGER NOT NULL,
    "refused" INTEGER NOT NULL,
    "firstSampleTs" TIMESTAMPTZ(3),
    "lastSampleTs" TIMESTAMPTZ(3),
    "report" JSONB NOT NULL,

    CONSTRAINT "obd_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "obd_imports_vehicleId_importedAt_idx" ON "obd_imports"("vehicleId", "importedAt");

-- AddForeignKey
ALTER TABLE "obd_imports" ADD CONSTRAINT "obd_imports_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "obd_imports" ADD CONSTRAINT "obd_imports_importedById_fkey" FOREIGN KEY ("importedById") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

