import { Queue } from 'bullmq';
import { errorLogFor, type QueueErrorSink } from './queue-error.log.js';
import { JobName, type JobPayloads, QueueName } from './queue-names.js';
import type { RedisClient } from './redis-connection.js';
import { queuePrefixOf } from './redis-keys.js';

type DeliveryQueue = Queue<JobPayloads[JobName.DeliverNotification], unknown, JobName.DeliverNotification>;

export interface DeliveryRequest {
  deliveryId: string;
  /** Not before this instant (quiet hours, digest, retry backoff); now or past: at once. */
  notBefore?: Date | null;
}

/**
 * Queues NotificationDelivery rows for sending. The job id is the delivery id: asking again while a
 * job for the row waits or runs is a no-op, so the sweep can re-ask for every due row without
 * doubling sends. Jobs are removed when they finish, which frees the id for the next attempt: the
 * row in Postgres, not the job, carries the attempt count and the retry time.
 */
export class DeliveryProducer {
  private readonly queue: DeliveryQueue;

  constructor(connection: RedisClient, prefix: string, onError: QueueErrorSink = (line) => console.warn(line)) {
    this.queue = new Queue(QueueName.Notifications, { connection, prefix: queuePrefixOf(connection, prefix, QueueName.Notifications) });
    this.queue.on('error', errorLogFor(QueueName.Notifications, onError));
  }

  async requestDeliveries(requests: readonly DeliveryRequest[], now: Date = new Date()): Promise<void> {
    const jobs = requests.map(({ deliveryId, notBefore }) => ({
      name: JobName.DeliverNotification as const,
      data: { deliveryId },
      opts: {
        jobId: deliveryId,
        delay: Math.max(0, (notBefore?.getTime() ?? 0) - now.getTime()),
        // Only for unexpected errors (database down); delivery failures are retried through the row.
        attempts: 3,
        backoff: { type: 'exponential', delay: 5000 },
        removeOnComplete: true,
        removeOnFail: true,
      },
    }));
    if (jobs.length > 0) await this.queue.addBulk(jobs);
  }

  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
