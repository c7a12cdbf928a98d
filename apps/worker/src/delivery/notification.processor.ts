import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import { DeliveryProducer, type JobHandlers, JobName, QueueConsumer, QueueName, RedisConnection } from '#app/queue';
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
export class NotificationProcessor extends QueueConsumer<QueueName.Notifications> {
  constructor(
    @Inject(APP_CONFIG) config: WorkerConfig,
    redis: RedisConnection,
    private readonly sweeper: NotificationSweepService,
    private readonly delivery: NotificationDeliveryService,
    private readonly producer: DeliveryProducer,
  ) {
    super(QueueName.Notifications, {
      connection: redis.client,
      prefix: config.queuePrefix,
      wedgedAfterMs: config.queueWorker.wedgedAfterMs,
      concurrency: config.notifications.concurrency,
      lockDurationMs: LOCK_DURATION_MS,
      stalledIntervalMs: STALLED_INTERVAL_MS,
      schedules: { [JobName.NotificationSweep]: { everyMs: config.notifications.sweepMs, data: {} } },
    });
  }

  protected handlers(): JobHandlers<QueueName.Notifications> {
    return {
      [JobName.NotificationSweep]: () => this.sweeper.sweep(new Date()),
      [JobName.DeliverNotification]: ({ deliveryId }) => this.delivery.deliver(deliveryId, new Date()),
    };
  }

  /** Running sends finish (within the grace period) before the producer's connection closes. */
  override async beforeApplicationShutdown(): Promise<void> {
    await super.beforeApplicationShutdown();
    await this.producer.close();
  }
}
