-- Findings (code + subject + owner message) per prediction: what reminders are created from.
ALTER TABLE "predictions" ADD COLUMN "findings" JSONB NOT NULL DEFAULT '[]';
ALTER TABLE "prediction_snapshots" ADD COLUMN "findings" JSONB NOT NULL DEFAULT '[]';
