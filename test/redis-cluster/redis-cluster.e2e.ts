import { randomUUID } from 'node:crypto';
import { Controller, type DynamicModule, type INestMicroservice, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { type ApiConfig, loadApiConfig, type RedisConfig } from '#app/config';
import { IN_APP_EVENT_PATTERN, InAppEventHub, parseInAppEnvelope, TransportInAppEventBus } from '#app/notifications';
import {
  createQueueConnection,
  DeliveryProducer,
  hashTag,
  type JobHandlers,
  JobName,
  type JobPayloads,
  liveEventsClient,
  liveEventsTransport,
  QueueConsumer,
  QueueName,
  queuePrefixOf,
  type RedisClient,
  ScoringProducer,
} from '#app/queue';
import { RedisClientService } from '../../apps/api/src/common/redis-client.service.js';
import { RateLimitStore } from '../../apps/api/src/rate-limit/rate-limit.store.js';
import { waitUntil } from '../support/ports.js';
import { LocalRedisCluster } from './redis-cluster.fixture.js';

/** A scoring consumer that records the vehicles it was asked to score. */
class RecordingConsumer extends QueueConsumer<QueueName.Scoring> {
  readonly scored: string[] = [];

  constructor(connection: RedisClient, prefix: string) {
    super(QueueName.Scoring, { connection, prefix, concurrency: 4, graceMs: 1_000 });
  }

  protected handlers(): JobHandlers<QueueName.Scoring> {
    return {
      [JobName.VehicleScore]: ({ vehicleId }: JobPayloads[JobName.VehicleScore]) => {
        this.scored.push(vehicleId);
        return Promise.resolve({ status: 'done' });
      },
      [JobName.ReconcileScores]: () => Promise.resolve({ status: 'skipped', reason: 'nothing to reconcile' }),
    };
  }
}

const HUB = Symbol('HUB');

@Controller()
class ClusterEventListener {
  constructor(@Inject(HUB) private readonly hub: InAppEventHub) {}

  @EventPattern(IN_APP_EVENT_PATTERN)
  receive(@Payload() payload: unknown): void {
    const envelope = parseInAppEnvelope(payload);
    if (envelope !== undefined) this.hub.dispatch(envelope);
  }
}

@Module({})
class ClusterEventListenerModule {
  static with(hub: InAppEventHub): DynamicModule {
    return { module: ClusterEventListenerModule, controllers: [ClusterEventListener], providers: [{ provide: HUB, useValue: hub }] };
  }
}

/**
 * Every Redis user of the platform on a real Redis Cluster (3 masters, 3 replicas, scripts/redis-cluster.sh):
 * BullMQ queues (each queue's keys under its own hash tag), the scoring producer's deduplication and bring-forward,
 * the API's rate limiter and the live events transport. A cross-slot script would fail here with CROSSSLOT.
 */
describe('Redis Cluster mode', () => {
  let cluster: LocalRedisCluster;
  let config: RedisConfig;
  let redis: RedisClient;
  const prefix = `test-rcluster-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    cluster = await LocalRedisCluster.start();
    config = cluster.config(prefix);
    redis = createQueueConnection(config);
  }, 120_000);

  afterAll(async () => {
    for (const queue of [QueueName.Scoring, QueueName.Notifications]) {
      const q = new Queue(queue, { connection: redis, prefix: queuePrefixOf(redis, prefix, queue) });
      await q.obliterate({ force: true });
      await q.close();
    }
    redis.disconnect();
  });

  it('gives each queue its own hash tag, so a queue is one slot and the queues spread over the cluster', async () => {
    expect(redis.isCluster).toBe(true);
    const scoring = queuePrefixOf(redis, prefix, QueueName.Scoring);
    const notifications = queuePrefixOf(redis, prefix, QueueName.Notifications);
    expect([scoring, notifications]).toEqual([`{${prefix}:scoring}`, `{${prefix}:notifications}`]);
    const slotOf = async (key: string) => Number(await redis.call('CLUSTER', 'KEYSLOT', key));
    const scoringKeys = ['wait', 'active', 'delayed', 'meta', 'events', 'de:score:x', '123'].map((suffix) => `${scoring}:scoring:${suffix}`);
    expect(new Set(await Promise.all(scoringKeys.map(slotOf))).size).toBe(1);
    expect(await slotOf(`${scoring}:scoring:wait`)).not.toBe(await slotOf(`${notifications}:notifications:wait`));
  });

  it('runs queued jobs through a consumer and keeps one waiting job per vehicle (deduplication and bring-forward)', async () => {
    const producer = new ScoringProducer(redis, prefix, 60_000);
    const queue = new Queue(QueueName.Scoring, { connection: redis, prefix: queuePrefixOf(redis, prefix, QueueName.Scoring) });
    try {
      const repeated = randomUUID();
      for (let i = 0; i < 5; i += 1) await producer.requestScores([repeated], 'telemetry', 600_000);
      const waitingFor = async (vehicleId: string) =>
        (await queue.getJobs(['delayed', 'waiting'])).filter((job) => (job.data as { vehicleId: string }).vehicleId === vehicleId);
      expect(await waitingFor(repeated)).toHaveLength(1);

      // A prompt request brings the routine job forward (changeDelay reads and moves it in the queue's slot).
      const asked = Date.now();
      await producer.requestScoresSoon([repeated], 'inspection', 0);
      const [job] = await waitingFor(repeated);
      expect(job.timestamp + job.delay).toBeLessThanOrEqual(asked + 1_000);

      const vehicles = Array.from({ length: 20 }, () => randomUUID());
      const consumer = new RecordingConsumer(redis, prefix);
      const moduleRef = await Test.createTestingModule({ providers: [{ provide: RecordingConsumer, useValue: consumer }] }).compile();
      await moduleRef.init();
      try {
        await producer.requestScoresSoon(vehicles, 'manual', 0);
        await waitUntil(() => vehicles.every((id) => consumer.scored.includes(id)) && consumer.scored.includes(repeated), 20_000, 'every job run');
      } finally {
        await moduleRef.close();
      }
      expect(consumer.scored.filter((id) => id === repeated)).toHaveLength(1);
      expect(consumer.scored).toHaveLength(vehicles.length + 1);
    } finally {
      await producer.close();
      await queue.close();
    }
  }, 60_000);

  it('queues notification deliveries, one job per delivery id', async () => {
    const producer = new DeliveryProducer(redis, prefix);
    try {
      const deliveryId = randomUUID();
      await producer.requestDeliveries([{ deliveryId }, { deliveryId }, { deliveryId: randomUUID(), notBefore: new Date(Date.now() + 60_000) }]);
      expect(await producer.counts()).toMatchObject({ waiting: 1, delayed: 1 });
    } finally {
      await producer.close();
    }
  });

  it('counts request windows and login attempts for the rate limiter, across the two keys of each script', async () => {
    const apiConfig: ApiConfig = loadApiConfig({ ...process.env, REDIS_CLUSTER_NODES: cluster.nodesVariable, QUEUE_PREFIX: prefix });
    const service = new RedisClientService(apiConfig);
    const store = new RateLimitStore(service, apiConfig);
    try {
      const subject = `user-${randomUUID()}`;
      expect(await store.hitWindow(subject, 100, 60_000)).toEqual({ previous: 0, current: 1 });
      expect(await store.hitWindow(subject, 100, 60_000)).toEqual({ previous: 0, current: 2 });
      expect(await store.hitWindow(subject, 101, 60_000)).toEqual({ previous: 2, current: 1 });

      const account = `owner-${randomUUID()}@test.local`;
      const address = '203.0.113.7';
      const first = await store.countLoginAttempt(account, address, 60_000);
      const second = await store.countLoginAttempt(account, address, 60_000);
      expect([first?.account.count, first?.ip.count, second?.account.count, second?.ip.count]).toEqual([1, 1, 2, 2]);
      await store.loginSucceeded(account, address);
      const after = await store.countLoginAttempt(account, address, 60_000);
      expect([after?.account.count, after?.ip.count]).toEqual([1, 2]);
      // The subject's windows share its tag (spread over the masters); the login pair shares one fixed tag.
      expect(hashTag(service.client, subject)).toBe(`{${subject}}`);
    } finally {
      await service.onModuleDestroy();
    }
  });

  it('carries live events from a publisher to a subscribed listener through the cluster', async () => {
    const hub = new InAppEventHub(prefix);
    const listener: INestMicroservice = await NestFactory.createMicroservice(ClusterEventListenerModule.with(hub), {
      ...liveEventsTransport(config),
      logger: ['error'],
    });
    await listener.listen();
    const bus = new TransportInAppEventBus(liveEventsClient(config), prefix);
    const audience = `owner-${randomUUID()}`;
    const heard: string[] = [];
    const stop = hub.subscribe(audience, (event) => heard.push(event.title));
    try {
      // The listener's SUBSCRIBE is sent without waiting for its answer: publish until one arrives.
      await waitUntil(
        async () => {
          await bus.publish(audience, { type: 'reminder', title: 'probe', text: '', data: {}, at: new Date().toISOString() });
          return heard.length > 0;
        },
        10_000,
        'the first event heard',
      );
      await bus.publish(audience, { type: 'reminder', title: 'tyres due', text: 'front left at 2.8 mm', data: {}, at: new Date().toISOString() });
      await waitUntil(() => heard.includes('tyres due'), 5_000, 'the event heard');
    } finally {
      stop();
      await bus.onApplicationShutdown();
      await listener.close();
    }
    // Heard once. Not necessarily last: a probe still in flight may arrive after it (cluster pub/sub goes through
    // whichever node each publish reached, so the order of two publishes is not kept).
    expect(heard.filter((title) => title === 'tyres due')).toEqual(['tyres due']);
  }, 30_000);
});
