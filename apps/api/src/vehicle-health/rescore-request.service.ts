import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { closeRedisClient, createQueueConnection, type RedisClient, ScoringProducer, type ScoreReason } from '#app/queue';
import { withTimeout } from '../common/with-timeout.js';

/** Whether the job reached the queue now, or is left to the worker's reconciler. */
export type RescoreOutcome = 'requested' | 'deferred';

// A Redis outage must not hold an HTTP request (or fail one whose data is already committed).
const ENQUEUE_TIMEOUT_MS = 2000;

/**
 * Asks the worker to score a vehicle again after an inspection or service record. Best effort by
 * design: the caller has already raised the vehicle's telemetryVersion in the same transaction as its
 * data, so the worker's reconciler rescores it even when this job never arrives.
 */
@Injectable()
export class RescoreRequestService implements OnApplicationShutdown {
  private readonly logger = new Logger(RescoreRequestService.name);
  private readonly connection: RedisClient;
  private readonly producer: ScoringProducer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = createQueueConnection(config);
    this.producer = new ScoringProducer(this.connection, config.queuePrefix, config.scoring.debounceMs, (line) => this.logger.warn(line));
  }

  async request(
    vehicleId: string,
    reason: Extract<ScoreReason, 'inspection' | 'service-record' | 'odometer-correction' | 'obd-import'>,
  ): Promise<RescoreOutcome> {
    try {
      // No debounce: a person is waiting for the new score, and there is no burst to coalesce.
      await withTimeout(this.producer.requestScoresSoon([vehicleId], reason, 0), ENQUEUE_TIMEOUT_MS, 'queue');
      return 'requested';
    } catch (error) {
      this.logger.warn(`rescore of ${vehicleId} left to the reconciler: ${error instanceof Error ? error.message : String(error)}`);
      return 'deferred';
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    // quit() would wait for a connection that may never come back (commands queue while offline).
    await closeRedisClient(this.connection);
  }
}
