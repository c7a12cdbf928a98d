-- The latest presence word of each car's device (`vehicles/{vin}/status`, retained birth / last will / clean
-- shutdown), written by ingestion's device-status listener. One row per vehicle: the topic is the VIN's.
-- CreateEnum
CREATE TYPE "DeviceConnectionState" AS ENUM ('ONLINE', 'OFFLINE');

-- CreateEnum
CREATE TYPE "DeviceOfflineReason" AS ENUM ('CLEAN', 'UNEXPECTED');

-- CreateTable
CREATE TABLE "device_status" (
    "vehicleId" UUID NOT NULL,
    "state" "DeviceConnectionState" NOT NULL,
    "offlineReason" "DeviceOfflineReason",
    "connectedAt" TIMESTAMPTZ(3),
    "disconnectedAt" TIMESTAMPTZ(3),
    "firmware" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "device_status_pkey" PRIMARY KEY ("vehicleId")
);

-- AddForeignKey
ALTER TABLE "device_status" ADD CONSTRAINT "device_status_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;
