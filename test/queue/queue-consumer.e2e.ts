import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  createRedisConnection,
  type JobHandlers,
  JobName,
  type JobOutcome,
  type JobPayloads,
  MissingJobHandlerError,
  QueueConsumer,
  QueueName,
} from '#app/queue';
import { testEnv } from '../support/test-env.js';

/** A scoring consumer whose handlers record what they were given. */
class RecordingConsumer extends QueueConsumer<QueueName.Scoring> {
  readonly scored: JobPayloads[JobName.VehicleScore][] = [];

  constructor(connection: Redis, prefix: string) {
    super(QueueName.Scoring, { connection, prefix, concurrency: 1, graceMs: 1_000 });
  }

  protected handlers(): JobHandlers<QueueName.Scoring> {
    return {
      [JobName.VehicleScore]: (data) => {
        this.scored.push(data);
        return Promise.resolve({ status: 'done', detail: `scored ${data.vehicleId} for ${data.reason}` });
      },
      [JobName.ReconcileScores]: () => Promise.resolve({ status: 'skipped', reason: 'nothing to reconcile' }),
    };
  }
}

/** What plain JS or a cast can still produce: a consumer without the reconcile handler. */
class IncompleteConsumer extends RecordingConsumer {
  protected override handlers(): JobHandlers<QueueName.Scoring> {
    const { [JobName.VehicleScore]: score } = super.handlers();
    return { [JobName.VehicleScore]: score } as unknown as JobHandlers<QueueName.Scoring>;
  }
}

/** The typed consumer base against real Redis and BullMQ, started and stopped by Nest as the worker does. */
describe(QueueConsumer.name, () => {
  let redis: Redis;
  let prefix: string;
  let queue: Queue;
  let events: QueueEvents;
  let eventsConnection: Redis;

  beforeAll(async () => {
    redis = createRedisConnection(testEnv.redisUrl);
    prefix = `test-consumer-${randomUUID().slice(0, 8)}`;
    queue = new Queue(QueueName.Scoring, { connection: redis, prefix });
    eventsConnection = redis.duplicate();
    events = new QueueEvents(QueueName.Scoring, { connection: eventsConnection, prefix });
    await events.waitUntilReady();
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await events.close();
    eventsConnection.disconnect();
    redis.disconnect();
  });

  async function started(consumer: RecordingConsumer): Promise<() => Promise<void>> {
    const moduleRef = await Test.createTestingModule({ providers: [{ provide: RecordingConsumer, useValue: consumer }] }).compile();
    await moduleRef.init();
    return () => moduleRef.close();
  }

  it('refuses to start when a job of its queue has no handler', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [{ provide: RecordingConsumer, useValue: new IncompleteConsumer(redis, prefix) }],
    }).compile();

    const init = moduleRef.init();
    await expect(init).rejects.toBeInstanceOf(MissingJobHandlerError);
    await expect(init).rejects.toThrow(`queue scoring: no handler for ${JobName.ReconcileScores}`);
    await moduleRef.close();
  });

  it('hands each job its typed payload and completes it with the handler outcome', async () => {
    const consumer = new RecordingConsumer(redis, prefix);
    const stop = await started(consumer);
    try {
      const vehicleId = randomUUID();
      const job = await queue.add(JobName.VehicleScore, { vehicleId, reason: 'manual' });

      const outcome = (await job.waitUntilFinished(events, 10_000)) as JobOutcome;

      expect(outcome).toEqual({ status: 'done', detail: `scored ${vehicleId} for manual` });
      expect(consumer.scored).toEqual([{ vehicleId, reason: 'manual' }]);
    } finally {
      await stop();
    }
  });

  it('fails a job whose name the queue does not declare, at once and for good', async () => {
    const consumer = new RecordingConsumer(redis, prefix);
    const stop = await started(consumer);
    try {
      // A name from another queue: declared in JobName, but not a scoring job.
      const job = await queue.add(JobName.DeliverNotification, { deliveryId: randomUUID() }, { attempts: 3 });

      await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(`queue scoring: unknown job ${JobName.DeliverNotification}`);
      const failed = await queue.getJob(job.id ?? '');
      expect(await failed?.getState()).toBe('failed');
      expect(failed?.attemptsMade).toBe(1);
      expect(consumer.scored).toEqual([]);
    } finally {
      await stop();
    }
  });
});
