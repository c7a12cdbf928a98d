import type { Job } from 'bullmq';

export enum QueueName {
  Scoring = 'scoring',
}

export enum JobName {
  /** Score one vehicle from its stored telemetry. Coalesced: at most one waiting per vehicle. */
  VehicleScore = 'vehicle-score',
  /** Periodic sweep: vehicles whose telemetry is newer than their last score (a lost job is not a lost score). */
  ReconcileScores = 'reconcile-scores',
}

export type ScoreReason = 'telemetry' | 'reconcile' | 'inspection' | 'service-record' | 'manual';

export interface JobPayloads {
  [JobName.VehicleScore]: { vehicleId: string; reason: ScoreReason };
  [JobName.ReconcileScores]: Record<string, never>;
}

export type JobOf<N extends JobName> = Job<JobPayloads[N], unknown, N>;

/** What a processor reports for a job: done, or skipped with the reason (never a silent no-op). */
export type JobOutcome = { status: 'done'; detail?: string } | { status: 'skipped'; reason: string };
