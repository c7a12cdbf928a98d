import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { DeliveryProducer, JobName, type JobOf, type JobOutcome, QueueName, RedisConnection, RunningJobs, closeWorkerWithin, WORKER_CLOSE_GRACE_MS } from '#app/queue';
import { NotificationDeliveryService } from './notification-delivery.service.js';
import { NotificationSweepService } from './notification-sweep.service.js';

/**
 * A killed worker's job is handed to another after the lock lapses; shorter than BullMQ's 30 s so a
 * restart resumes deliveries soon. Two runs cannot send one row: the row's lease (see the service) decides.
 */
const LOCK_DURATION_MS = 15_000;
const STALLED_INTERVAL_MS = 10_000;

/** Consumes the notifications queue; each job is a one-line delegation to a service. */
@Injectable()
export class NotificationProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationProcessor.name);
  private worker: Worker | undefined;
  private scheduler: Queue | undefined;
  private readonly running = new RunningJobs();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisConnection,
    private readonly sweeper: NotificationSweepService,
    private readonly delivery: NotificationDeliveryService,
    private readonly producer: DeliveryProducer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const prefix = this.config.queuePrefix;
    this.scheduler = new Queue(QueueName.Notifications, { connection: this.redis, prefix });
    // A job scheduler, not a timer: with several worker replicas the sweep still runs once per period.
    await this.scheduler.upsertJobScheduler(
      JobName.NotificationSweep,
      { every: this.config.notifications.sweepMs },
      { name: JobName.NotificationSweep, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.worker = new Worker(QueueName.Notifications, (job: Job) => this.running.track(job, () => this.process(job)), {
      connection: this.redis,
      prefix,
      concurrency: this.config.notifications.concurrency,
      lockDuration: LOCK_DURATION_MS,
      stalledInterval: STALLED_INTERVAL_MS,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`${job?.name} ${job?.id} failed: ${error.message}`));
  }

  process(job: Job): Promise<JobOutcome> {
    switch (job.name) {
      case JobName.NotificationSweep:
        return this.sweeper.sweep(new Date());
      case JobName.DeliverNotification:
        return this.delivery.deliver((job as JobOf<JobName.DeliverNotification>).data.deliveryId, new Date());
      default:
        return Promise.resolve({ status: 'skipped', reason: `unknown job ${job.name}` });
    }
  }

  /** Lets running sends finish (BullMQ waits for them) before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWorkerWithin(this.worker, this.running, WORKER_CLOSE_GRACE_MS, (line) => this.logger.warn(line));
    await this.scheduler?.close();
    await this.producer.close();
  }
}
