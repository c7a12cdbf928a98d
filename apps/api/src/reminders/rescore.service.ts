import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { createRedisConnection, ScoringProducer } from '#app/queue';
import type { Redis } from 'ioredis';

const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * Asks the worker to score a vehicle again after a service record, at once (delay 0): the models
 * reset on the record (e.g. the tyre forecast starts over), so the owner sees the reminder gone
 * or a new forecast without waiting for the next telemetry.
 */
@Injectable()
export class RescoreService implements OnApplicationShutdown {
  private readonly logger = new Logger(RescoreService.name);
  private readonly connection: Redis;
  private readonly producer: ScoringProducer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = createRedisConnection(config.redisUrl);
    this.producer = new ScoringProducer(this.connection, config.queuePrefix, config.scoring.debounceMs);
  }

  /**
   * Called after the commit, so a job never refers to a record that was rolled back. Returns false
   * instead of failing the request when Redis is down: the record is committed either way, and the
   * next telemetry (or a manual rescore) scores the vehicle with it.
   */
  async afterServiceRecord(vehicleId: string): Promise<boolean> {
    try {
      // The BullMQ connection queues commands while Redis is away instead of failing: bound the wait.
      await withTimeout(this.producer.requestScores([vehicleId], 'service-record', 0), ENQUEUE_TIMEOUT_MS);
      return true;
    } catch (error) {
      this.logger.warn(`rescore request for vehicle ${vehicleId} failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.close().catch(() => undefined);
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
