-- One message per visit, not per wheel (issue 14 item 6): a reminder becomes the service visit, and each need
-- it fixes (a wheel's tread, a service item) is one of its items, with its own figures and its own done.

-- CreateEnum
CREATE TYPE "ReminderItemStatus" AS ENUM ('OPEN', 'DONE', 'RESOLVED');

-- AlterTable: the visit a reminder stands for. Tyre needs share one tyre-shop visit, service-schedule items one
-- service visit; any other need keeps a trip of its own (its dedupKey).
ALTER TABLE "reminders" ADD COLUMN "visitKey" TEXT;
UPDATE "reminders" SET "visitKey" = CASE "component"
    WHEN 'TIRES' THEN "vehicleId"::text || ':visit:TIRES'
    WHEN 'SERVICE_SCHEDULE' THEN "vehicleId"::text || ':visit:SERVICE'
    ELSE "dedupKey" END;
ALTER TABLE "reminders" ALTER COLUMN "visitKey" SET NOT NULL;

-- CreateTable
CREATE TABLE "reminder_items" (
    "id" UUID NOT NULL,
    "reminderId" UUID NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "component" "Component" NOT NULL,
    "code" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "status" "ReminderItemStatus" NOT NULL DEFAULT 'OPEN',
    "risk" "Risk" NOT NULL,
    "dueAt" TIMESTAMPTZ(3),
    "dueOdometerKm" DOUBLE PRECISION,
    "finding" JSONB NOT NULL,
    "closedAt" TIMESTAMPTZ(3),
    "closedReason" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reminder_items_pkey" PRIMARY KEY ("id")
);

-- Every reminder written before visits is a visit of one need: its item is its own finding, in its own state.
-- Several active tyre reminders of one car now share a visitKey; the worker's next evaluation folds them into
-- the oldest (reminder-evaluation.policy.ts, "merged").
INSERT INTO "reminder_items" ("id", "reminderId", "dedupKey", "component", "code", "subject", "status", "risk", "dueAt",
    "dueOdometerKm", "finding", "closedAt", "closedReason", "createdAt", "updatedAt")
SELECT gen_random_uuid(), r."id", r."dedupKey", r."component",
    COALESCE(r."content" -> 'finding' ->> 'code', ''), COALESCE(r."content" -> 'finding' ->> 'subject', ''),
    CASE r."status" WHEN 'DONE' THEN 'DONE'::"ReminderItemStatus" WHEN 'RESOLVED' THEN 'RESOLVED'::"ReminderItemStatus"
        ELSE 'OPEN'::"ReminderItemStatus" END,
    r."risk", r."dueAt", r."dueOdometerKm", COALESCE(r."content" -> 'finding', '{}'::jsonb), r."closedAt", r."closedReason",
    r."createdAt", r."updatedAt"
FROM "reminders" r;

-- CreateIndex
CREATE UNIQUE INDEX "reminder_items_reminderId_dedupKey_key" ON "reminder_items"("reminderId", "dedupKey");

-- CreateIndex
CREATE INDEX "reminders_visitKey_status_idx" ON "reminders"("visitKey", "status");

-- AddForeignKey
ALTER TABLE "reminder_items" ADD CONSTRAINT "reminder_items_reminderId_fkey" FOREIGN KEY ("reminderId") REFERENCES "reminders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
