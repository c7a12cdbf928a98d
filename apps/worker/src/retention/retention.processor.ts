import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { JobName, type JobOutcome, QueueName, RedisConnection, RunningJobs, closeWorkerWithin, WORKER_CLOSE_GRACE_MS } from '#app/queue';
import { DataRetentionService } from './data-retention.service.js';

/** Consumes the housekeeping queue: the retention sweep, once per RETENTION_INTERVAL_MS across all replicas. */
@Injectable()
export class RetentionProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionProcessor.name);
  private worker: Worker | undefined;
  private scheduler: Queue | undefined;
  private readonly running = new RunningJobs();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisConnection,
    private readonly retention: DataRetentionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.queuePrefix;
    this.scheduler = new Queue(QueueName.Housekeeping, { connection: this.redis, prefix });
    await this.scheduler.upsertJobScheduler(
      JobName.RetentionSweep,
      { every: this.config.retention.intervalMs },
      { name: JobName.RetentionSweep, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.worker = new Worker(QueueName.Housekeeping, (job: Job) => this.running.track(job, () => this.process(job)), { connection: this.redis, prefix, concurrency: 1 });
    this.worker.on('failed', (job, error) => this.logger.warn(`${job?.name} ${job?.id} failed: ${error.message}`));
    this.worker.on('completed', (_job, outcome: JobOutcome) => {
      if (outcome.status === 'done' && outcome.detail) this.logger.log(outcome.detail);
    });
  }

  async process(job: Job): Promise<JobOutcome> {
    if (job.name !== JobName.RetentionSweep) return { status: 'skipped', reason: `unknown job ${job.name}` };
    return (await this.retention.sweep(new Date())).outcome;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWorkerWithin(this.worker, this.running, WORKER_CLOSE_GRACE_MS, (line) => this.logger.warn(line));
    await this.scheduler?.close();
  }
}
