import type { Job } from 'bullmq';

export enum QueueName {
  Scoring = 'scoring',
  /** Owner notifications: the reminder sweep and one job per NotificationDelivery row. */
  Notifications = 'notifications',
  /** Periodic upkeep of the data (retention): slow, rare jobs kept off the scoring and delivery queues. */
  Housekeeping = 'housekeeping',
}

export enum JobName {
  /** Score one vehicle from its stored telemetry. Coalesced: at most one waiting per vehicle. */
  VehicleScore = 'vehicle-score',
  /** Periodic sweep: vehicles whose telemetry is newer than their last score (a lost job is not a lost score). */
  ReconcileScores = 'reconcile-scores',
  /** Periodic sweep: raw telemetry, device tyre readings and rejected messages past their retention. */
  RetentionSweep = 'retention-sweep',
  /** Periodic sweep: reminders due to be sent (repeats, snoozes ended) and deliveries due (held, retries, lost jobs). */
  NotificationSweep = 'notification-sweep',
  /** Send one NotificationDelivery row; the job id is the delivery id, so a row has at most one job queued. */
  DeliverNotification = 'deliver-notification',
}

export type ScoreReason = 'telemetry' | 'reconcile' | 'inspection' | 'service-record' | 'odometer-correction' | 'obd-import' | 'manual';

export interface JobPayloads {
  [JobName.VehicleScore]: { vehicleId: string; reason: ScoreReason };
  [JobName.ReconcileScores]: Record<string, never>;
  [JobName.NotificationSweep]: Record<string, never>;
  [JobName.RetentionSweep]: Record<string, never>;
  [JobName.DeliverNotification]: { deliveryId: string };
}

export type JobOf<N extends JobName> = Job<JobPayloads[N], unknown, N>;

/** What a processor reports for a job: done, or skipped with the reason (never a silent no-op). */
export type JobOutcome = { status: 'done'; detail?: string } | { status: 'skipped'; reason: string };
