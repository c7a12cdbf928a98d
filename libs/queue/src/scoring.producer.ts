import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { errorLogFor, type QueueErrorSink } from './queue-error.log.js';
import { JobName, type JobPayloads, QueueName, type ScoreReason } from './queue-names.js';
import type { RedisClient } from './redis-connection.js';
import { DELAYED_SCORE_UNIT, queuePrefixOf } from './redis-keys.js';

type ScoringQueue = Queue<JobPayloads[JobName.VehicleScore], unknown, JobName.VehicleScore>;

export interface ScoreRequest {
  vehicleId: string;
  /** Run no later than this from now. */
  delayMs: number;
}

const deduplicationId = (vehicleId: string): string => `score:${vehicleId}`;
/**
 * The BullMQ priority of a routine request; a prompt one has none (0). BullMQ takes jobs from its wait
 * list (priority 0) before any from the prioritized set, so once the worker is behind a warning sign's
 * score no longer queues behind hundreds of routine ones (issue 12 item 6: 97-154 s at fleet size).
 * Routine jobs keep their FIFO order among themselves (one priority, BullMQ's counter breaks ties).
 */
const ROUTINE_PRIORITY = 1;

/**
 * Asks for vehicles to be scored. However many requests arrive for a vehicle, at most one job waits for
 * it (BullMQ deduplication by vehicle id), and every request is "no later than now + delay": one for
 * sooner than the waiting job brings that job forward, whoever asks (ingestion, reconciler, API).
 *
 * BullMQ's deduplication alone would swallow it: a second add while a job waits is dropped whatever its
 * delay (`reschedule` would apply the new delay even when it is later). So each add that was deduplicated
 * is followed by a changeDelay when the job waiting for the vehicle would run later than asked.
 *
 * Prompt requests also run before routine ones (ROUTINE_PRIORITY): a prompt request deduplicated into a
 * vehicle's routine job raises that job to prompt (changePriority), so the one job keeps both promises.
 */
export class ScoringProducer {
  private readonly queue: ScoringQueue;

  constructor(
    private readonly connection: RedisClient,
    prefix: string,
    private readonly debounceMs: number,
    onError: QueueErrorSink = (line) => console.warn(line),
  ) {
    this.queue = new Queue(QueueName.Scoring, { connection, prefix: queuePrefixOf(connection, prefix, QueueName.Scoring) });
    this.queue.on('error', errorLogFor(QueueName.Scoring, onError));
  }

  /**
   * Routine: a score within `delayMs`. If the vehicle's job is running right now the request is dropped:
   * its telemetry is then newer than the score being written, and the worker's reconciler asks again when
   * the vehicle is due (SCORING_INTERVAL_MS after that score), which is all a routine request promises.
   * Once due it runs after every due prompt request (ROUTINE_PRIORITY).
   */
  requestScores(vehicleIds: Iterable<string>, reason: ScoreReason, delayMs = this.debounceMs): Promise<void> {
    return this.requestEach(
      [...new Set(vehicleIds)].map((vehicleId) => ({ vehicleId, delayMs })),
      reason,
    );
  }

  /** The same with a delay per vehicle (the reconciler gives each vehicle its remaining wait). */
  requestEach(requests: readonly ScoreRequest[], reason: ScoreReason): Promise<void> {
    return this.request(requests, reason, false);
  }

  /**
   * Prompt: a score within `delayMs` that must not be lost (warning signs, a first score, a person waiting
   * on an inspection or service record). If the vehicle's job is running, one more is kept to run after it
   * (BullMQ keepLastIfActive), as the running one may have read the history before this telemetry.
   */
  requestScoresSoon(vehicleIds: Iterable<string>, reason: ScoreReason, delayMs = this.debounceMs): Promise<void> {
    return this.requestEachSoon(
      [...new Set(vehicleIds)].map((vehicleId) => ({ vehicleId, delayMs })),
      reason,
    );
  }

  /** The same with a delay per vehicle (ingestion's catch-ups each end their own vehicle's prompt window). */
  requestEachSoon(requests: readonly ScoreRequest[], reason: ScoreReason): Promise<void> {
    return this.request(requests, reason, true);
  }

  private async request(requests: readonly ScoreRequest[], reason: ScoreReason, keepLastIfActive: boolean): Promise<void> {
    if (requests.length === 0) return;
    const askedAt = Date.now();
    // Our own job ids: a returned id that differs means the add was deduplicated into that job.
    const jobs = requests.map(({ vehicleId, delayMs }) => ({
      name: JobName.VehicleScore as const,
      data: { vehicleId, reason },
      opts: {
        jobId: randomUUID(),
        delay: delayMs,
        ...(keepLastIfActive ? {} : { priority: ROUTINE_PRIORITY }),
        deduplication: { id: deduplicationId(vehicleId), keepLastIfActive },
        attempts: 5,
        backoff: { type: 'exponential', delay: 2000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      },
    }));
    const added = await this.queue.addBulk(jobs);
    await Promise.all(
      added.map((job, index) => {
        const asked = jobs[index];
        if (job.id === undefined || job.id === asked.opts.jobId) return Promise.resolve();
        return this.raiseAndBringForward(job.id, askedAt + asked.opts.delay, keepLastIfActive);
      }),
    );
  }

  /** A deduplicated request: a prompt one first raises the vehicle's job, then either brings it forward. */
  private async raiseAndBringForward(jobId: string, runBy: number, prompt: boolean): Promise<void> {
    if (prompt) await this.raise(jobId);
    await this.bringForward(jobId, runBy);
  }

  /**
   * Makes the vehicle's routine job a prompt one (priority 0). changePriority moves a prioritized job to
   * the wait list and sets the field of a delayed one, which BullMQ reads when it becomes due. It is
   * skipped for a job already at 0: on a job in the wait list it would move it to the back.
   * When the job is running, the prompt request was kept for after it (keepLastIfActive) with no
   * priority; the running job only gets the field, read if it fails and is retried.
   */
  private async raise(jobId: string): Promise<void> {
    const priority = await this.connection.hget(this.queue.toKey(jobId), 'priority');
    if (priority === null || Number(priority) === 0) return;
    try {
      await this.queue.getBackend().changePriority(jobId, 0);
    } catch (error) {
      // It finished and was removed between the lookup and the change: nothing left to raise.
      if ((await this.connection.exists(this.queue.toKey(jobId))) === 1) throw error;
    }
  }

  /**
   * Moves the job that waits for a vehicle to `runBy` when it would run later. Only a delayed job has a
   * run time to change: one already waiting or running started (or will start) after the request was
   * made, so it reads the telemetry that prompted it.
   */
  private async bringForward(jobId: string, runBy: number): Promise<void> {
    const runAt = await this.delayedUntil(jobId);
    if (runAt === undefined || runAt <= runBy) return;
    try {
      await this.queue.getBackend().changeDelay(jobId, Math.max(0, runBy - Date.now()));
    } catch (error) {
      // It became due, started or finished between the lookup and the change: nothing left to bring forward.
      if ((await this.delayedUntil(jobId)) !== undefined) throw error;
    }
  }

  /**
   * When a delayed job will run (its score in the delayed set), or undefined if it is not delayed. Read from
   * Redis, not from the job: changeDelay keeps the job's timestamp, so timestamp + delay is wrong once a job
   * has been brought forward. test/queue/scoring-producer.e2e.ts would catch a BullMQ change to the encoding.
   */
  private async delayedUntil(jobId: string): Promise<number | undefined> {
    const score = await this.connection.zscore(this.queue.keys.delayed, jobId);
    return score === null ? undefined : Math.floor(Number(score) / DELAYED_SCORE_UNIT);
  }

  /** Job counts by state, for tests, metrics and the operator. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
