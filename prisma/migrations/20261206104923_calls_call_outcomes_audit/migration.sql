-- The dashboard's worked call list (issue 14 item 2): what each call came to, and an append-only audit of who did
-- what to a car's follow-up (call outcomes, appointment changes).
-- CreateEnum
CREATE TYPE "CallOutcomeKind" AS ENUM ('CALLED', 'NO_ANSWER', 'BOOKED', 'DECLINED', 'CALL_AGAIN');

-- CreateTable
CREATE TABLE "call_outcomes" (
    "id" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "staffId" UUID NOT NULL,
    "outcome" "CallOutcomeKind" NOT NULL,
    "note" TEXT,
    "callAgainAt" TIMESTAMPTZ(3),
    "riskAtCall" "Risk" NOT NULL,
    "dueAtAtCall" TIMESTAMPTZ(3),
    "findingKeys" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "serviceCenterId" UUID NOT NULL,
    "vehicleId" UUID NOT NULL,
    "actorId" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "appointmentId" UUID,
    "callOutcomeId" UUID,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "call_outcomes_serviceCenterId_createdAt_idx" ON "call_outcomes"("serviceCenterId", "createdAt");

-- CreateIndex
CREATE INDEX "call_outcomes_vehicleId_createdAt_idx" ON "call_outcomes"("vehicleId", "createdAt");

-- CreateIndex
CREATE INDEX "audit_events_vehicleId_at_idx" ON "audit_events"("vehicleId", "at");

-- AddForeignKey
ALTER TABLE "call_outcomes" ADD CONSTRAINT "call_outcomes_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_outcomes" ADD CONSTRAINT "call_outcomes_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_outcomes" ADD CONSTRAINT "call_outcomes_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_vehicleId_fkey" FOREIGN KEY ("vehicleId") REFERENCES "vehicles"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_serviceCenterId_fkey" FOREIGN KEY ("serviceCenterId") REFERENCES "service_centers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
