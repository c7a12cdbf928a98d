// Which jobs run on which queue, declared once: a consumer must handle exactly these (checked when its
// module starts), and a producer can only add them (JobPayloads gives each its payload type).
import type { Job } from 'bullmq';
import { JobName, type JobOutcome, type JobPayloads, QueueName } from './queue-names.js';

export const QUEUE_JOBS = {
  [QueueName.Scoring]: [JobName.VehicleScore, JobName.ReconcileScores],
  [QueueName.Notifications]: [JobName.NotificationSweep, JobName.DeliverNotification],
  [QueueName.Housekeeping]: [JobName.RetentionSweep],
} as const satisfies Record<QueueName, readonly JobName[]>;

/** The job names of one queue. */
export type JobNameOf<Q extends QueueName> = (typeof QUEUE_JOBS)[Q][number];

/** Handles one job: gets its typed payload (and the job, for its id or attempts) and reports the outcome. */
export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: Job<JobPayloads[N], JobOutcome, N>) => Promise<JobOutcome>;

/** One handler per job name of the queue: a missing one does not compile (and, past a cast, does not start). */
export type JobHandlers<Q extends QueueName> = { [N in JobNameOf<Q>]: JobHandler<N> };

/** A repeating job of the queue: BullMQ job schedulers, so several replicas still run it once per period. */
export type JobSchedules<Q extends QueueName> = { [N in JobNameOf<Q>]?: { everyMs: number; data: JobPayloads[N] } };

export function isJobOf<Q extends QueueName>(queue: Q, name: string): name is JobNameOf<Q> {
  return (QUEUE_JOBS[queue] as readonly string[]).includes(name);
}
