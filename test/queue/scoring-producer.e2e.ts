import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedisConnection, QueueName, ScoringProducer } from '#app/queue';
import { testEnv } from '../support/test-env.js';

/** The producer against real Redis and BullMQ: one waiting job per vehicle, brought forward when asked for sooner. */
describe(ScoringProducer.name, () => {
  let redis: Redis;
  let producer: ScoringProducer;
  let queue: Queue;

  beforeAll(() => {
    redis = createRedisConnection(testEnv.redisUrl);
    const prefix = `test-producer-${randomUUID().slice(0, 8)}`;
    producer = new ScoringProducer(redis, prefix, 5_000);
    queue = new Queue(QueueName.Scoring, { connection: redis, prefix });
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await producer.close();
    redis.disconnect();
  });

  const runAt = async (vehicleId: string): Promise<number[]> => {
    const jobs = await queue.getJobs(['delayed', 'waiting']);
    return jobs.filter((job) => job.data.vehicleId === vehicleId).map((job) => job.timestamp + job.delay);
  };

  it('keeps one routine job per vehicle however often it is asked for', async () => {
    const vehicleId = randomUUID();
    const before = Date.now();

    for (let i = 0; i < 5; i++) await producer.requestScores([vehicleId], 'telemetry', 600_000);

    const times = await runAt(vehicleId);
    expect(times).toHaveLength(1);
    expect(times[0]).toBeGreaterThanOrEqual(before + 600_000);
  });

  it('brings a waiting routine job forward when a score is asked for soon, instead of adding a second', async () => {
    const vehicleId = randomUUID();
    await producer.requestScores([vehicleId], 'telemetry', 600_000);
    const asked = Date.now();

    await producer.requestScoresSoon([vehicleId], 'inspection');

    const times = await runAt(vehicleId);
    expect(times).toHaveLength(1);
    expect(times[0]).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(times[0]).toBeGreaterThanOrEqual(asked);
  });

  it('does not push a sooner job back when asked "soon" with a longer delay', async () => {
    const vehicleId = randomUUID();
    await producer.requestScores([vehicleId], 'manual', 1_000);
    const [first] = await runAt(vehicleId);

    await producer.requestScoresSoon([vehicleId], 'telemetry', 5_000);

    expect(await runAt(vehicleId)).toEqual([first]);
  });

  it('gives each vehicle its own delay when asked for several at once (the reconciler)', async () => {
    const [soon, later] = [randomUUID(), randomUUID()];
    const before = Date.now();

    await producer.requestEach([{ vehicleId: soon, delayMs: 0 }, { vehicleId: later, delayMs: 300_000 }], 'reconcile');

    expect((await runAt(soon))[0]).toBeLessThan(before + 1_000);
    expect((await runAt(later))[0]).toBeGreaterThanOrEqual(before + 300_000);
  });
});
