-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('OWNER', 'STAFF', 'ADMIN');

-- CreateEnum
CREATE TYPE "DeviceStatus" AS ENUM ('ACTIVE', 'REVOKED');

-- CreateEnum
CREATE TYPE "FuelType" AS ENUM ('PETROL', 'DIESEL', 'HYBRID', 'ELECTRIC', 'LPG');

-- CreateEnum
CREATE TYPE "TirePosition" AS ENUM ('FL', 'FR', 'RL', 'RR');

-- CreateEnum
CREATE TYPE "ReadingSource" AS ENUM ('DEVICE', 'INSPECTION');

-- CreateEnum
CREATE TYPE "ServiceKind" AS ENUM ('OIL_CHANGE', 'COOLANT_SERVICE', 'THERMOSTAT_REPLACEMENT', 'TIRE_REPLACEMENT', 'TIRE_ROTATION', 'WHEEL_ALIGNMENT', 'PUNCTURE_REPAIR', 'BATTERY_REPLACEMENT', 'BRAKE_SERVICE', 'AIR_FILTER', 'FUEL_SYSTEM_SERVICE', 'GENERAL_INSPECTION', 'OTHER');

-- CreateEnum
CREATE TYPE "Component" AS ENUM ('ENGINE_COOLING', 'FUEL_ECONOMY', 'TIRES', 'SERVICE_SCHEDULE', 'BATTERY', 'DIAGNOSTICS');

-- CreateEnum
CREATE TYPE "Risk" AS ENUM ('OK', 'WATCH', 'SOON', 'URGENT', 'CRITICAL');

-- CreateEnum
CREATE TYPE "ReminderStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'SNOOZED', 'BOOKED', 'DONE', 'RESOLVED');

-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('WEB_PUSH', 'WEBHOOK', 'EMAIL', 'IN_APP');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'GONE', 'HELD');

-- CreateEnum
CREATE TYPE "AppointmentStatus" AS ENUM ('REQUESTED', 'CONFIRMED', 'DECLINED', 'COMPLETED', 'CANCELLED');

-- CreateTable
CREATE TABLE "service_centers" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "city" TEXT,
    "timeZone" TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_centers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "serviceCenterId" UUID,
    "email" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" "UserRole" NOT NULL,
    "name" TEXT NOT NULL,
    "phone" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vehicles" (
    "id" UUID NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "vin" VARCHAR(17) NOT NULL,
    "make" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "fuelType" "FuelType" NOT NULL DEFAULT 'PETROL',
    "plate" TEXT,
    "oilServiceIntervalKm" INTEGER NOT NULL DEFAULT 10000,
    "oilServiceIntervalMonths" INTEGER NOT NULL DEFAULT 12,
    "odometerKm" DOUBLE PRECISION,
    "lastTelemetryAt" TIMESTAMPTZ(3),
    "lastSampleTs" TIMESTAMPTZ(3),
    "lastScoredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vehicles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "devices" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "serial" TEXT NOT NULL,
    "credentialHash" TEXT NOT NULL,
    "status" "DeviceStatus" NOT NULL DEFAULT 'ACTIVE',
    "lastSeenAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "devices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "telemetry_samples" (
    "id" BIGSERIAL NOT NULL,
    "vehicleId" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "odometerKm" DOUBLE PRECISION,
    "speedKph" DOUBLE PRECISION,
    "rpm" DOUBLE PRECISION,
    "coolantTempC" DOUBLE PRECISION,
    "fuelRateLph" DOUBLE PRECISION,
    "fuelRateEstimated" BOOLEAN NOT NULL DEFAULT false,
    "batteryV" DOUBLE PRECISION,
    "engineLoadPct" DOUBLE PRECISION,
    "intakeTempC" DOUBLE PRECISION,
    "mafGps" DOUBLE PRECISION,
    "manifoldPressureKpa" DOUBLE PRECISION,
    "throttlePct" DOUBLE PRECISION,
    "ambientTempC" DOUBLE PRECISION,
    "dtcs" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "telemetry_samples_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tire_readings" (
    "id" BIGSERIAL NOT NULL,
    "vehicleId" UUID NOT NULL,
    "position" "TirePosition" NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "source" "ReadingSource" NOT NULL,
    "sampleSeq" BIGINT,
    "inspectionId" UUID,
    "odometerKm" DOUBLE PRECISION,
    "treadMm" DOUBLE PRECISION,
    "pressureKpa" DOUBLE PRECISION,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tire_readings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_records" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "kind" "ServiceKind" NOT NULL,
    "performedAt" TIMESTAMPTZ(3) NOT NULL,
    "odometerKm" DOUBLE PRECISION,
    "positions" "TirePosition"[] DEFAULT ARRAY[]::"TirePosition"[],
    "notes" TEXT,
    "reminderId" UUID,
    "createdById" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "predictions" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "component" "Component" NOT NULL,
    "health" INTEGER NOT NULL,
    "risk" "Risk" NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "dueOdometerKm" DOUBLE PRECISION,
    "confidence" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "explanation" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "scoredAt" TIMESTAMPTZ(3) NOT NULL,
    "dataThrough" TIMESTAMPTZ(3),

    CONSTRAINT "predictions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prediction_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "vehicleId" UUID NOT NULL,
    "component" "Component" NOT NULL,
    "health" INTEGER NOT NULL,
    "risk" "Risk" NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "dueOdometerKm" DOUBLE PRECISION,
    "confidence" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "explanation" TEXT NOT NULL,
    "modelVersion" TEXT NOT NULL,
    "scoredAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "prediction_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vehicle_model_states" (
    "vehicleId" UUID NOT NULL,
    "component" "Component" NOT NULL,
    "state" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vehicle_model_states_pkey" PRIMARY KEY ("vehicleId","component")
);

-- CreateTable
CREATE TABLE "reminders" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "component" "Component" NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "status" "ReminderStatus" NOT NULL DEFAULT 'OPEN',
    "risk" "Risk" NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "dueOdometerKm" DOUBLE PRECISION,
    "content" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "snoozedUntil" TIMESTAMPTZ(3),
    "lastNotifiedAt" TIMESTAMPTZ(3),
    "notifyCount" INTEGER NOT NULL DEFAULT 0,
    "nextNotifyAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),
    "closedReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reminders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "reminderId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "channel" "NotificationChannel" NOT NULL,
    "notificationKey" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "holdUntil" TIMESTAMPTZ(3),
    "sentAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_attempts" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "statusCode" INTEGER,
    "detail" TEXT,
    "durationMs" INTEGER,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_preferences" (
    "userId" UUID NOT NULL,
    "channels" "NotificationChannel"[] DEFAULT ARRAY['WEB_PUSH', 'EMAIL', 'IN_APP']::"NotificationChannel"[],
    "language" TEXT NOT NULL DEFAULT 'en',
    "timeZone" TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    "quietHoursStart" TEXT,
    "quietHoursEnd" TEXT,
    "digest" BOOLEAN NOT NULL DEFAULT false,
    "email" TEXT,
    "webhookUrl" TEXT,
    "webhookSecret" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "notification_preferences_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "push_subscriptions" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "endpoint" TEXT NOT NULL,
    "p256dh" TEXT NOT NULL,
    "auth" TEXT NOT NULL,
    "userAgent" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSuccessAt" TIMESTAMPTZ(3),

    CONSTRAINT "push_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appointments" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "reminderId" UUID,
    "status" "AppointmentStatus" NOT NULL DEFAULT 'REQUESTED',
    "preferredAt" TIMESTAMPTZ(3) NOT NULL,
    "confirmedAt" TIMESTAMPTZ(3),
    "scheduledAt" TIMESTAMPTZ(3),
    "notes" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "appointments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rejected_messages" (
    "id" BIGSERIAL NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "topic" TEXT NOT NULL,
    "vin" TEXT,
    "vehicleId" UUID,
    "serviceCenterId" UUID,
    "reason" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "sampleIndex" INTEGER NOT NULL DEFAULT -1,
    "payloadBytes" INTEGER NOT NULL,
    "payloadExcerpt" TEXT NOT NULL,
    "messageHash" TEXT NOT NULL,

    CONSTRAINT "rejected_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_serviceCenterId_role_idx" ON "users"("serviceCenterId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "vehicles_vin_key" ON "vehicles"("vin");

-- CreateIndex
CREATE INDEX "vehicles_serviceCenterId_idx" ON "vehicles"("serviceCenterId");

-- CreateIndex
CREATE INDEX "vehicles_ownerId_idx" ON "vehicles"("ownerId");

-- CreateIndex
CREATE INDEX "vehicles_lastTelemetryAt_idx" ON "vehicles"("lastTelemetryAt");

-- CreateIndex
CREATE UNIQUE INDEX "devices_serial_key" ON "devices"("serial");

-- CreateIndex
CREATE INDEX "devices_vehicleId_idx" ON "devices"("vehicleId");

-- CreateIndex
CREATE INDEX "telemetry_samples_vehicleId_ts_idx" ON "telemetry_samples"("vehicleId", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "telemetry_samples_vehicleId_seq_key" ON "telemetry_samples"("vehicleId", "seq");

-- CreateIndex
CREATE INDEX "tire_readings_vehicleId_position_ts_idx" ON "tire_readings"("vehicleId", "position", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "tire_readings_vehicleId_sampleSeq_position_key" ON "tire_readings"("vehicleId", "sampleSeq", "position");

-- CreateIndex
CREATE UNIQUE INDEX "tire_readings_inspectionId_position_key" ON "tire_readings"("inspectionId", "position");

-- CreateIndex
CREATE INDEX "service_records_vehicleId_kind_performedAt_idx" ON "service_records"("vehicleId", "kind", "performedAt");

-- CreateIndex
CREATE UNIQUE INDEX "predictions_vehicleId_component_key" ON "predictions"("vehicleId", "component");

-- CreateIndex
CREATE INDEX "prediction_snapshots_vehicleId_component_scoredAt_idx" ON "prediction_snapshots"("vehicleId", "component", "scoredAt");

-- CreateIndex
CREATE INDEX "reminders_ownerId_status_idx" ON "reminders"("ownerId", "status");

-- CreateIndex
CREATE INDEX "reminders_vehicleId_status_idx" ON "reminders"("vehicleId", "status");

-- CreateIndex
CREATE INDEX "reminders_dedupKey_status_idx" ON "reminders"("dedupKey", "status");

-- CreateIndex
CREATE INDEX "reminders_nextNotifyAt_idx" ON "reminders"("nextNotifyAt");

-- CreateIndex
CREATE INDEX "notification_deliveries_status_holdUntil_idx" ON "notification_deliveries"("status", "holdUntil");

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_reminderId_channel_notificationKey_key" ON "notification_deliveries"("reminderId", "channel", "notificationKey");

-- CreateIndex
CREATE INDEX "delivery_attempts_deliveryId_idx" ON "delivery_attempts"("deliveryId");

-- CreateIndex
CREATE UNIQUE INDEX "push_subscriptions_endpoint_key" ON "push_subscriptions"("endpoint");

-- CreateIndex
CREATE INDEX "push_subscriptions_userId_idx" ON "push_subscriptions"("userId");

-- CreateIndex
CREATE INDEX "appointments_serviceCenterId_status_idx" ON "appointments"("serviceCenterId", "status");

-- CreateIndex
CREATE INDEX "rejected_messages_vehicleId_receivedAt_idx" ON "rejected_messages"("vehicleId", "receivedAt");

-- CreateIndex
CREATE INDEX "rejected_messages_reason_idx" ON "rejected_messages"("reason");

-- CreateIndex
CREATE UNIQUE INDEX "rejected_messages_messageHash_sampleIndex_key" ON "rejected_messages"("messageHash", "sampleIndex");

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "devices" ADD CONSTRAINT "devices_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "telemetry_samples" ADD CONSTRAINT "telemetry_samples_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tire_readings" ADD CONSTRAINT "tire_readings_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "predictions" ADD CONSTRAINT "predictions_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction_snapshots" ADD CONSTRAINT "prediction_snapshots_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vehicle_model_states" ADD CONSTRAINT "vehicle_model_states_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_reminderId_fkey" FOREIGN KEY ("reminderId") REFERENCES "reminders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_attempts" ADD CONSTRAINT "delivery_attempts_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "notification_deliveries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_preferences" ADD CONSTRAINT "notification_preferences_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "push_subscriptions" ADD CONSTRAINT "push_subscriptions_userId_fkey" FOREIGN KEY ("userId") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_reminderId_fkey" FOREIGN KEY ("reminderId") REFERENCES "reminders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rejected_messages" ADD CONSTRAINT "rejected_messages_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rejected_messages" ADD CONSTRAINT "rejected_messages_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

