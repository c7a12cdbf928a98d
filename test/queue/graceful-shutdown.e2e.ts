import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, loadWorkerConfig } from '#app/config';
import { Prisma, PrismaService } from '#app/database';
import { createRedisConnection, type JobHandlers, JobName, QueueConsumer, QueueName } from '#app/queue';
import { waitUntil } from '../support/ports.js';
import { testEnv } from '../support/test-env.js';

/** A scoring consumer whose job waits for the test, then reads Postgres, as a score does after its models run. */
class DatabaseJobConsumer extends QueueConsumer<QueueName.Scoring> {
  started = 0;
  readonly outcomes: string[] = [];
  release: () => void = () => undefined;

  constructor(
    connection: Redis,
    prefix: string,
    private readonly prisma: PrismaService,
  ) {
    super(QueueName.Scoring, { connection, prefix, concurrency: 1, graceMs: 10_000 });
  }

  protected handlers(): JobHandlers<QueueName.Scoring> {
    return {
      [JobName.VehicleScore]: async () => {
        this.started += 1;
        await new Promise<void>((resolve) => (this.release = resolve));
        try {
          const [row] = await this.prisma.poolRows<{ one: number }>(Prisma.sql`SELECT 1 AS one`);
          this.outcomes.push(`read ${String(row?.one)}`);
        } catch (error) {
          this.outcomes.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
        }
        return { status: 'done' };
      },
      [JobName.ReconcileScores]: () => Promise.resolve({ status: 'skipped', reason: 'nothing to reconcile' }),
    };
  }
}

/**
 * A worker told to stop (SIGTERM: Nest's shutdown hooks) while a job runs: the job gets its grace period with the
 * database still open, and the pool closes after the workers have. Nest calls every onModuleDestroy before any
 * beforeApplicationShutdown, so a pool closed in the former failed every running job ("Cannot use a pool after
 * calling end on the pool") while the consumer waited for it: a graceful stop that retried every job it cut.
 */
describe('a worker stopping while a job runs', () => {
  let redis: Redis;

  beforeAll(() => {
    redis = createRedisConnection(testEnv.redisUrl);
  });

  afterAll(() => {
    redis.disconnect();
  });

  it('lets the running job finish with its database, then closes the pool', async () => {
    const prefix = `test-stop-${randomUUID().slice(0, 8)}`;
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: APP_CONFIG, useValue: loadWorkerConfig() },
        PrismaService,
        {
          provide: DatabaseJobConsumer,
          useFactory: (prisma: PrismaService) => new DatabaseJobConsumer(redis, prefix, prisma),
          inject: [PrismaService],
        },
      ],
    }).compile();
    await moduleRef.init();
    const consumer = moduleRef.get(DatabaseJobConsumer);
    const prisma = moduleRef.get(PrismaService);
    const queue = new Queue(QueueName.Scoring, { connection: redis, prefix });
    try {
      await queue.add(JobName.VehicleScore, { vehicleId: randomUUID(), reason: 'manual' });
      await waitUntil(() => consumer.started === 1, 10_000, 'the job to start');

      const closing = moduleRef.close();
      // The shutdown is under way (the worker paused, waiting for its job) before the job goes on.
      await new Promise((resolve) => setTimeout(resolve, 500));
      consumer.release();
      await closing;

      expect(consumer.outcomes).toEqual(['read 1']);
      expect(prisma.pool.ending).toBe(true);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 30_000);
});
