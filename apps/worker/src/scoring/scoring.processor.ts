import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import { type JobHandlers, JobName, QueueConsumer, QueueName, RedisConnection, ScoringProducer } from '#app/queue';
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
export class ScoringProcessor extends QueueConsumer<QueueName.Scoring> {
  constructor(
    @Inject(APP_CONFIG) config: WorkerConfig,
    redis: RedisConnection,
    private readonly scoring: VehicleScoringService,
    private readonly reconciler: ScoreReconcilerService,
    private readonly producer: ScoringProducer,
  ) {
    super(QueueName.Scoring, {
      connection: redis.client,
      prefix: config.queuePrefix,
      wedgedAfterMs: config.queueWorker.wedgedAfterMs,
      // SCORING_CONCURRENCY says why the number (16 when the statements batch).
      concurrency: config.scoring.concurrency,
      lockDurationMs: LOCK_DURATION_MS,
      stalledIntervalMs: STALLED_INTERVAL_MS,
      schedules: { [JobName.ReconcileScores]: { everyMs: config.scoring.reconcileIntervalMs, data: {} } },
    });
  }

  protected handlers(): JobHandlers<QueueName.Scoring> {
    return {
      [JobName.VehicleScore]: ({ vehicleId }) => this.scoring.score(vehicleId, new Date()),
      [JobName.ReconcileScores]: () => this.reconciler.reconcile(),
    };
  }

  override async beforeApplicationShutdown(): Promise<void> {
    await super.beforeApplicationShutdown();
    await this.producer.close();
  }
}
