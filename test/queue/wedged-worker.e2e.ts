import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createPrismaClient, type PrismaClient } from '#app/database';
import {
  createRedisConnection,
  type JobHandlers,
  JobName,
  type JobPayloads,
  QueueConsumer,
  QueueName,
  RESTART_EXIT_CODE,
  ScoringProducer,
} from '#app/queue';
import { WorkerProcess } from '../reminders/support/worker-process.js';
import { createFleet } from '../support/fixtures.js';
import { FreezingTcpProxy } from '../support/freezing-tcp-proxy.js';
import { waitUntil } from '../support/ports.js';
import { testEnv } from '../support/test-env.js';

/** testEnv's Redis, reached through `proxy` (same database index). */
function redisUrlThrough(proxy: FreezingTcpProxy): string {
  const url = new URL(testEnv.redisUrl);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

const redisPort = (): number => Number(new URL(testEnv.redisUrl).port || 6379);

/** A scoring consumer that records the jobs it runs and the wedges its watch reports. */
class WatchedConsumer extends QueueConsumer<QueueName.Scoring> {
  readonly scored: JobPayloads[JobName.VehicleScore][] = [];
  readonly wedges: { atMs: number; description: string }[] = [];

  constructor(connection: Redis, prefix: string, wedgedAfterMs: number) {
    super(QueueName.Scoring, {
      connection,
      prefix,
      concurrency: 2,
      graceMs: 1_000,
      wedgedAfterMs,
      onWedged: (description) => this.wedges.push({ atMs: Date.now(), description }),
    });
  }

  protected handlers(): JobHandlers<QueueName.Scoring> {
    return {
      [JobName.VehicleScore]: (data) => {
        this.scored.push(data);
        return Promise.resolve({ status: 'done' });
      },
      [JobName.ReconcileScores]: () => Promise.resolve({ status: 'skipped', reason: 'nothing to reconcile' }),
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A worker whose Redis connections stop answering without closing (the host behind them went away: FreezingTcpProxy)
 * while Redis itself is reachable again on a new connection. BullMQ's worker stays "running" and takes nothing, by
 * itself, for good; the consumer's WedgedWorkerWatch sees jobs ready and none taken, and the worker process restarts
 * itself so its supervisor starts a fresh one.
 */
describe('a BullMQ worker whose Redis connection stops answering', () => {
  let direct: Redis;
  let proxy: FreezingTcpProxy | undefined;

  beforeAll(() => {
    direct = createRedisConnection(testEnv.redisUrl);
  });

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  afterAll(() => {
    direct.disconnect();
  });

  it('is reported wedged by its watch once jobs were ready and none taken for the period, and takes none by itself', async () => {
    const WEDGED_AFTER_MS = 3_000;
    proxy = await FreezingTcpProxy.start(redisPort());
    const prefix = `test-wedge-${randomUUID().slice(0, 8)}`;
    const viaProxy = createRedisConnection(redisUrlThrough(proxy));
    const consumer = new WatchedConsumer(viaProxy, prefix, WEDGED_AFTER_MS);
    const moduleRef = await Test.createTestingModule({ providers: [{ provide: WatchedConsumer, useValue: consumer }] }).compile();
    await moduleRef.init();
    const queue = new Queue(QueueName.Scoring, { connection: direct, prefix });
    const add = (vehicleId: string) => queue.add(JobName.VehicleScore, { vehicleId, reason: 'manual' });
    try {
      // Healthy: jobs added for twice the period are all taken, and no wedge is reported.
      const flowUntil = Date.now() + 2 * WEDGED_AFTER_MS;
      let added = 0;
      while (Date.now() < flowUntil) {
        await add(`healthy-${String(added++)}`);
        await sleep(100);
      }
      await waitUntil(() => consumer.scored.length === added, 10_000, 'every job of the healthy period taken');
      expect(consumer.wedges).toEqual([]);

      const frozen = proxy.freeze();
      const frozenAt = Date.now();
      for (let i = 0; i < 5; i += 1) await add(`frozen-${String(i)}`);
      await waitUntil(() => consumer.wedges.length > 0, 6 * WEDGED_AFTER_MS, 'the watch to report the wedge');
      const reportedAfterMs = consumer.wedges[0].atMs - frozenAt;
      // BullMQ's own watchdog re-establishes a blocking connection after its block time (5 s) + 1 s: give it twice that.
      await sleep(Math.max(0, frozenAt + 15_000 - Date.now()));
      const takenWhileFrozen = consumer.scored.length - added;
      console.log(
        `[wedged-worker] ${String(frozen)} connections frozen; wedge reported ${String(reportedAfterMs)} ms after (period ${String(WEDGED_AFTER_MS)} ms): ` +
          `"${consumer.wedges[0].description}"; jobs the worker took in the 15 s after the freeze: ${String(takenWhileFrozen)} of 5`,
      );

      expect(frozen).toBeGreaterThanOrEqual(2); // the worker's commands and its blocking connection at least
      expect(consumer.wedges).toHaveLength(1);
      expect(consumer.wedges[0].description).toMatch(
        /^queue scoring: the worker took no job for \d+ s while 5 jobs were ready and 0 of its 2 slots were busy/,
      );
      expect(reportedAfterMs).toBeGreaterThanOrEqual(WEDGED_AFTER_MS);
      expect(takenWhileFrozen).toBe(0);
    } finally {
      // The frozen sockets are destroyed first: a wedged worker's close would wait on them.
      await proxy.close();
      proxy = undefined;
      await moduleRef.close();
      viaProxy.disconnect();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 90_000);

  it('is not called wedged while its queue is paused (an operator holding the work back), and takes the jobs once resumed', async () => {
    const WEDGED_AFTER_MS = 3_000;
    const prefix = `test-paused-${randomUUID().slice(0, 8)}`;
    const connection = createRedisConnection(testEnv.redisUrl);
    const consumer = new WatchedConsumer(connection, prefix, WEDGED_AFTER_MS);
    const moduleRef = await Test.createTestingModule({ providers: [{ provide: WatchedConsumer, useValue: consumer }] }).compile();
    await moduleRef.init();
    const queue = new Queue(QueueName.Scoring, { connection: direct, prefix });
    try {
      await queue.pause();
      for (let i = 0; i < 3; i += 1) await queue.add(JobName.VehicleScore, { vehicleId: `paused-${String(i)}`, reason: 'manual' });
      await sleep(3 * WEDGED_AFTER_MS);
      const takenWhilePaused = consumer.scored.length;
      const wedgesWhilePaused = consumer.wedges.length;
      await queue.resume();
      await waitUntil(() => consumer.scored.length === 3, 10_000, 'the jobs taken once the queue is resumed');

      expect({ takenWhilePaused, wedgesWhilePaused }).toEqual({ takenWhilePaused: 0, wedgesWhilePaused: 0 });
      expect(consumer.wedges).toEqual([]);
    } finally {
      await moduleRef.close();
      connection.disconnect();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 60_000);

  describe('the worker app', () => {
    let prisma: PrismaClient;
    let worker: WorkerProcess | undefined;

    beforeAll(() => {
      prisma = createPrismaClient(testEnv.databaseUrl, 2);
    });

    afterAll(async () => {
      await worker?.stop('SIGTERM', 20_000);
      await prisma.$disconnect();
    });

    it('restarts itself, and the worker its supervisor starts again scores the car it could not', async () => {
      proxy = await FreezingTcpProxy.start(redisPort());
      const queuePrefix = `test-wedge-app-${randomUUID().slice(0, 8)}`;
      const env = {
        DATABASE_URL: testEnv.databaseUrl,
        REDIS_URL: redisUrlThrough(proxy),
        QUEUE_PREFIX: queuePrefix,
        QUEUE_WEDGED_AFTER_MS: '10000',
        VAPID_KEY_FILE: join(await mkdtemp(join(tmpdir(), 'wedge-')), 'vapid.json'),
      };
      const fleet = await createFleet(prisma, 2);
      const [before, during] = fleet.vehicles.map((vehicle) => vehicle.id);
      const scored = async (id: string) => (await prisma.vehicle.findUniqueOrThrow({ where: { id } })).lastScoredAt !== null;
      const producer = new ScoringProducer(direct, queuePrefix, 0);
      try {
        worker = new WorkerProcess(env);
        // Bounds for a loaded machine (CI runs test files side by side), not figures: those are printed.
        await worker.start(60_000);
        await producer.requestScoresSoon([before], 'manual', 0);
        await waitUntil(() => scored(before), 30_000, 'the first car scored by the healthy worker');

        proxy.freeze();
        const frozenAt = Date.now();
        await producer.requestScoresSoon([during], 'manual', 0);
        await waitUntil(() => !worker!.running, 120_000, 'the wedged worker to end itself');
        const exitedAfterMs = Date.now() - frozenAt;
        const ended = await worker.stop('SIGTERM');
        const wedgedLog = worker.log;
        const carScoredWhileWedged = await scored(during);

        // What pm2 (npm start, npm run cluster) or compose does with a process that ended: start it again.
        const restartedAt = Date.now();
        worker = new WorkerProcess(env);
        await worker.start(60_000);
        await waitUntil(() => scored(during), 60_000, 'the car scored by the restarted worker');
        const scoredAfterRestartMs = Date.now() - restartedAt;
        console.log(
          `[wedged-worker] the worker app ended itself ${String(exitedAfterMs)} ms after its connections froze (QUEUE_WEDGED_AFTER_MS 10000; ` +
            `exit code ${String(ended.code)}, signal ${String(ended.signal)}); the restarted worker scored the car ${String(scoredAfterRestartMs)} ms after its start`,
        );

        expect(carScoredWhileWedged).toBe(false);
        // The car's job and whatever the worker's reconciler queued at its start for other cars of the test database.
        expect(wedgedLog).toMatch(
          /restarting this process \(its supervisor starts it again\): queue scoring: the worker took no job for \d+ s while \d+ jobs? (was|were) ready/,
        );
        expect(ended.code === RESTART_EXIT_CODE || ended.signal === 'SIGTERM').toBe(true);
        expect(exitedAfterMs).toBeGreaterThanOrEqual(10_000);
      } finally {
        await producer.close();
      }
    }, 330_000);
  });
});
