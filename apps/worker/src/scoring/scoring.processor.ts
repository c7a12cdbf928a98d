import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { JobName, type JobOf, type JobOutcome, QueueName, RedisConnection, RunningJobs, closeWorkerWithin, WORKER_CLOSE_GRACE_MS, ScoringProducer } from '#app/queue';
import { ScoreReconcilerService } from './score-reconciler.service.js';
import { VehicleScoringService } from './vehicle-scoring.service.js';

/**
 * A killed worker's score is handed to another once its lock lapses and a stalled check sees it: with BullMQ's
 * defaults (30 s each) that took 60-90 s after a restart. A score takes well under a second and the lock is
 * renewed every half period, so 15 s / 10 s is safe and brings it back within about 25 s.
 */
const LOCK_DURATION_MS = 15_000;
const STALLED_INTERVAL_MS = 10_000;

/** Consumes the scoring queue; each job is a one-line delegation to a service. */
@Injectable()
export class ScoringProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ScoringProcessor.name);
  private worker: Worker | undefined;
  private scheduler: Queue | undefined;
  private readonly running = new RunningJobs();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly redis: RedisConnection,
    private readonly scoring: VehicleScoringService,
    private readonly reconciler: ScoreReconcilerService,
    private readonly producer: ScoringProducer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { queuePrefix: prefix, scoring } = this.config;
    this.scheduler = new Queue(QueueName.Scoring, { connection: this.redis, prefix });
    // A job scheduler, not a timer: with several worker replicas the sweep still runs once per period.
    await this.scheduler.upsertJobScheduler(
      JobName.ReconcileScores,
      { every: scoring.reconcileIntervalMs },
      { name: JobName.ReconcileScores, data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.worker = new Worker(QueueName.Scoring, (job: Job) => this.running.track(job, () => this.process(job)), {
      connection: this.redis,
      prefix,
      concurrency: 4,
      lockDuration: LOCK_DURATION_MS,
      stalledInterval: STALLED_INTERVAL_MS,
    });
    this.worker.on('failed', (job, error) => this.logger.warn(`${job?.name} ${job?.id} failed: ${error.message}`));
  }

  process(job: Job): Promise<JobOutcome> {
    switch (job.name) {
      case JobName.VehicleScore:
        return this.scoring.score((job as JobOf<JobName.VehicleScore>).data.vehicleId, new Date());
      case JobName.ReconcileScores:
        return this.reconciler.reconcile();
      default:
        return Promise.resolve({ status: 'skipped', reason: `unknown job ${job.name}` });
    }
  }

  /** Lets running jobs finish (BullMQ waits for them) before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker) await closeWorkerWithin(this.worker, this.running, WORKER_CLOSE_GRACE_MS, (line) => this.logger.warn(line));
    await this.scheduler?.close();
    await this.producer.close();
  }
}
