import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import { type JobHandlers, JobName, QueueConsumer, QueueName, RedisConnection } from '#app/queue';
import { DataRetentionService } from './data-retention.service.js';

/** Consumes the housekeeping queue: the retention sweep, once per RETENTION_INTERVAL_MS across all replicas. */
@Injectable()
export class RetentionProcessor extends QueueConsumer<QueueName.Housekeeping> {
  constructor(
    @Inject(APP_CONFIG) config: WorkerConfig,
    redis: RedisConnection,
    private readonly retention: DataRetentionService,
  ) {
    super(QueueName.Housekeeping, {
      connection: redis.client,
      prefix: config.queuePrefix,
      wedgedAfterMs: config.queueWorker.wedgedAfterMs,
      concurrency: 1,
      schedules: { [JobName.RetentionSweep]: { everyMs: config.retention.intervalMs, data: {} } },
      logDetails: true,
    });
  }

  protected handlers(): JobHandlers<QueueName.Housekeeping> {
    return { [JobName.RetentionSweep]: async () => (await this.retention.sweep(new Date())).outcome };
  }
}
