import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorLogFor, type QueueErrorSink } from './queue-error.log.js';
import { JobName, type JobPayloads, QueueName, type ScoreReason } from './queue-names.js';

type ScoringQueue = Queue<JobPayloads[JobName.VehicleScore], unknown, JobName.VehicleScore>;

/**
 * Asks for vehicles to be scored. However many messages arrive for a vehicle, at most one job waits
 * for it (BullMQ deduplication by vehicle id, keeping one more while one is running), delayed by the
 * debounce so a burst of telemetry becomes one score.
 */
export class ScoringProducer {
  private readonly queue: ScoringQueue;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly debounceMs: number,
    onError: QueueErrorSink = (line) => console.warn(line),
  ) {
    this.queue = new Queue(QueueName.Scoring, { connection, prefix });
    this.queue.on('error', errorLogFor(QueueName.Scoring, onError));
  }

  async requestScores(vehicleIds: Iterable<string>, reason: ScoreReason, delayMs = this.debounceMs): Promise<void> {
    const jobs = [...new Set(vehicleIds)].map((vehicleId) => ({
      name: JobName.VehicleScore as const,
      data: { vehicleId, reason },
      opts: {
        delay: delayMs,
        deduplication: { id: `score:${vehicleId}`, keepLastIfActive: true },
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    }));
    if (jobs.length > 0) await this.queue.addBulk(jobs);
  }

  /** Job counts by state, for tests, metrics and the operator. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
