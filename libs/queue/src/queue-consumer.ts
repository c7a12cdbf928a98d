import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { isJobOf, type JobHandlers, type JobSchedules, QUEUE_JOBS } from './jobs.js';
import { errorLogFor } from './queue-error.log.js';
import type { JobOutcome, QueueName } from './queue-names.js';
import type { RedisClient } from './redis-connection.js';
import { queuePrefixOf } from './redis-keys.js';
import { restartProcess } from './worker-restart.js';
import { closeWorkerWithin, RunningJobs, WORKER_CLOSE_GRACE_MS } from './worker-shutdown.js';
import { WedgedWorkerWatch } from './wedged-worker.watch.js';

/** A handler with its payload type erased: what the registry stores once the name has been checked. */
type ErasedJobHandler = (data: never, job: never) => Promise<JobOutcome>;

export interface QueueConsumerOptions<Q extends QueueName> {
  connection: RedisClient;
  /** QUEUE_PREFIX; on a Redis Cluster the queue's hash tag is added to it (queuePrefixOf). */
  prefix: string;
  concurrency: number;
  /** BullMQ's lock and stalled check; its defaults (30 s each) when missing. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  schedules?: JobSchedules<Q>;
  /** Log the `detail` of every job that reports one (rare, slow jobs such as the retention sweep). */
  logDetails?: boolean;
  graceMs?: number;
  /**
   * QUEUE_WEDGED_AFTER_MS: jobs ready, a slot free and none taken for this long restarts the process
   * (WedgedWorkerWatch); 0 or missing: not watched.
   */
  wedgedAfterMs?: number;
  /** What a wedge does; restarting the process (restartProcess) when missing. Tests pass their own. */
  onWedged?: (description: string) => void;
}

/** A queue's declared jobs without a handler: the consumer refuses to start rather than skip them at run time. */
export class MissingJobHandlerError extends Error {
  constructor(queue: QueueName, names: readonly string[]) {
    super(`queue ${queue}: no handler for ${names.join(', ')}`);
    this.name = MissingJobHandlerError.name;
  }
}

/**
 * The one owner of a BullMQ worker's life: a subclass names its queue and declares one typed handler per job
 * name of that queue (QUEUE_JOBS); this checks them at module init, upserts the schedules and starts the worker
 * at bootstrap, dispatches each job by name, fails a job of an unknown name (unrecoverable: no retry makes it
 * known), logs failures and queue errors, and at shutdown pauses and closes within the grace period.
 *
 * @example
 *   class RetentionProcessor extends QueueConsumer<QueueName.Housekeeping> {
 *     constructor(redis: RedisConnection, private readonly retention: DataRetentionService) {
 *       super(QueueName.Housekeeping, { connection: redis.client, prefix: 'carhealth', concurrency: 1 });
 *     }
 *     protected handlers(): JobHandlers<QueueName.Housekeeping> {
 *       return { [JobName.RetentionSweep]: async () => (await this.retention.sweep(new Date())).outcome };
 *     }
 *   }
 */
export abstract class QueueConsumer<Q extends QueueName> implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly running = new RunningJobs();
  private registry: ReadonlyMap<string, ErasedJobHandler> | undefined;
  private worker: Worker<unknown, JobOutcome> | undefined;
  private scheduler: Queue | undefined;
  private watch: WedgedWorkerWatch | undefined;

  protected constructor(
    readonly queue: Q,
    private readonly options: QueueConsumerOptions<Q>,
  ) {}

  /** One handler per job name of the queue, each given its job's payload type. */
  protected abstract handlers(): JobHandlers<Q>;

  /** Checks the handlers: a job name of the queue without one stops the start-up. */
  onModuleInit(): void {
    // Read as a plain record: the type says every handler is there, but a cast or plain JS can say otherwise.
    const handlers: Partial<Record<string, ErasedJobHandler>> = this.handlers();
    const registry = new Map<string, ErasedJobHandler>();
    const missing: string[] = [];
    for (const name of QUEUE_JOBS[this.queue]) {
      const handler = handlers[name];
      if (typeof handler === 'function') registry.set(name, handler);
      else missing.push(name);
    }
    if (missing.length > 0) throw new MissingJobHandlerError(this.queue, missing);
    this.registry = registry;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { connection, concurrency, lockDurationMs, stalledIntervalMs, schedules = {}, logDetails = false } = this.options;
    const prefix = queuePrefixOf(connection, this.options.prefix, this.queue);
    this.scheduler = new Queue(this.queue, { connection, prefix });
    this.scheduler.on(
      'error',
      errorLogFor(this.queue, (line) => this.logger.warn(line)),
    );
    for (const [name, schedule] of Object.entries<{ everyMs: number; data: unknown } | undefined>(schedules)) {
      if (schedule === undefined) continue;
      await this.scheduler.upsertJobScheduler(
        name,
        { every: schedule.everyMs },
        { name, data: schedule.data, opts: { removeOnComplete: 100, removeOnFail: 100 } },
      );
    }
    this.worker = new Worker<unknown, JobOutcome>(this.queue, (job) => this.running.track(job, () => this.dispatch(job)), {
      connection,
      prefix,
      concurrency,
      ...(lockDurationMs === undefined ? {} : { lockDuration: lockDurationMs }),
      ...(stalledIntervalMs === undefined ? {} : { stalledInterval: stalledIntervalMs }),
    });
    this.worker.on(
      'error',
      errorLogFor(`${this.queue} worker`, (line) => this.logger.warn(line)),
    );
    this.worker.on('failed', (job, error) => this.logger.warn(`${job?.name ?? 'job'} ${job?.id ?? ''} failed: ${error.message}`));
    if (logDetails) {
      this.worker.on('completed', (_job, outcome) => {
        if (outcome.status === 'done' && outcome.detail !== undefined && outcome.detail !== '') this.logger.log(outcome.detail);
      });
    }
    this.watchForWedge(this.scheduler, connection, concurrency);
  }

  private watchForWedge(queue: Queue, connection: RedisClient, concurrency: number): void {
    const { wedgedAfterMs = 0, onWedged = (description: string) => restartProcess(description, (line) => this.logger.error(line)) } = this.options;
    if (wedgedAfterMs <= 0) return;
    this.watch = new WedgedWorkerWatch({
      queue: this.queue,
      keys: { wait: queue.keys.wait, prioritized: queue.keys.prioritized, delayed: queue.keys.delayed, meta: queue.keys.meta },
      connection,
      concurrency,
      wedgedAfterMs,
      progress: () => this.running.progress(),
      onWedged,
    });
    this.watch.start();
  }

  /** Runs the job's handler; a name the queue does not declare fails the job for good. */
  dispatch(job: Job): Promise<JobOutcome> {
    const handler = isJobOf(this.queue, job.name) ? this.registry?.get(job.name) : undefined;
    if (handler === undefined) return Promise.reject(new UnrecoverableError(`queue ${this.queue}: unknown job ${job.name}`));
    // The name was checked against the queue's declared jobs, whose payload types JobPayloads gives.
    return handler(job.data as never, job as never);
  }

  /** Takes no new job, waits for the running ones up to the grace period, then closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.watch?.stop();
    if (this.worker)
      await closeWorkerWithin(this.worker, this.running, this.options.graceMs ?? WORKER_CLOSE_GRACE_MS, (line) => this.logger.warn(line));
    await this.scheduler?.close();
  }
}
