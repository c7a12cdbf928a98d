import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { errorLogFor, type QueueErrorSink } from './queue-error.log.js';
import { JobName, type JobPayloads, QueueName, type ScoreReason } from './queue-names.js';

type ScoringQueue = Queue<JobPayloads[JobName.VehicleScore], unknown, JobName.VehicleScore>;

export interface ScoreRequest {
  vehicleId: string;
  /** Run no sooner than this from now. */
  delayMs: number;
}

const deduplicationId = (vehicleId: string): string => `score:${vehicleId}`;

/**
 * Asks for vehicles to be scored. However many messages arrive for a vehicle, at most one job waits
 * for it (BullMQ deduplication by vehicle id, keeping one more while one is running): asking again
 * while one waits changes nothing, unless the ask is for sooner (requestScoresSoon).
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

  /** One job per vehicle after `delayMs`; a job already waiting for a vehicle is kept as it is. */
  requestScores(vehicleIds: Iterable<string>, reason: ScoreReason, delayMs = this.debounceMs): Promise<void> {
    return this.requestEach([...new Set(vehicleIds)].map((vehicleId) => ({ vehicleId, delayMs })), reason);
  }

  /** The same with a delay per vehicle (the reconciler spaces vehicles by their last score). */
  async requestEach(requests: readonly ScoreRequest[], reason: ScoreReason): Promise<void> {
    const jobs = requests.map(({ vehicleId, delayMs }) => ({
      name: JobName.VehicleScore as const,
      data: { vehicleId, reason },
      opts: {
        delay: delayMs,
        deduplication: { id: deduplicationId(vehicleId), keepLastIfActive: true },
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    }));
    if (jobs.length > 0) await this.queue.addBulk(jobs);
  }

  /**
   * A score within `delayMs` even when a later one is already waiting (a routine score minutes away):
   * that job is brought forward instead of a second one being added. For warning signs and for people
   * waiting on the answer (an inspection, a service record).
   */
  async requestScoresSoon(vehicleIds: Iterable<string>, reason: ScoreReason, delayMs = this.debounceMs): Promise<void> {
    const ids = [...new Set(vehicleIds)];
    await this.requestScores(ids, reason, delayMs);
    const runBy = Date.now() + delayMs;
    await Promise.all(ids.map((vehicleId) => this.bringForward(vehicleId, delayMs, runBy)));
  }

  private async bringForward(vehicleId: string, delayMs: number, runBy: number): Promise<void> {
    const jobId = await this.queue.getDeduplicationJobId(deduplicationId(vehicleId));
    if (jobId === null) return;
    const job = await Job.fromId(this.queue, jobId);
    if (job === undefined || job.timestamp + job.delay <= runBy) return;
    // The job may start (or finish) between the lookup and the change; then there is nothing to bring forward.
    await job.changeDelay(delayMs).catch(() => undefined);
  }

  /** Job counts by state, for tests, metrics and the operator. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
