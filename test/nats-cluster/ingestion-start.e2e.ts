import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { jetstream } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { ingestionStatusKey } from '#app/observability';
import { IngestionProcess } from '../support/ingestion-process.js';
import { waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';
import { LocalNatsCluster } from './nats-cluster.fixture.js';

const MQTT_MESSAGES_STREAM = '$MQTT_msgs';
const ROUNDS = 4;
const REPLICAS = 3;
/** A replica that pulls at all pulls within a few seconds of its ready line; the test gives it ten times that. */
const PULLING_WITHIN_MS = 30_000;
/** Messages put on the stream once the requests are there: NATS serves waiting pull requests in turn, 20 each. */
const PROBE_MESSAGES = 20 * REPLICAS;

/**
 * Replicas started at the same moment on a consumer that does not exist yet, as a rollout or a supervisor starting every
 * app at once does: each one creates the durable consumer (the same configuration) and pulls from it. Seen: one replica
 * of two pulling nothing for 30 s, 2 of 5 runs on 2.9.10; on 2.15.1, at load 15, one of three in 2 of 4 rounds, all
 * three only 61-69 s after their start (a pull request lost while the consumer was being created is asked again only
 * after two missed heartbeats: NatsIngestionService's PULL_EXPIRES_MS). Per round: when the consumer holds a pull
 * request per replica (`num_waiting`; it counts requests, not replicas: a replica asking again before its last request
 * expired shows twice, seen 4 of 3), and then which replicas take the messages put on the stream (each replica's own
 * report, `lastMessageAt`). They are messages no car sent (an unknown VIN): refused and recorded, as such input is.
 */
describe('NATS ingestion at its start', () => {
  let cluster: LocalNatsCluster;
  let redis: Redis;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    redis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
    cluster = await LocalNatsCluster.start('ingestion-start');
  }, 180_000);

  afterAll(async () => {
    redis.disconnect();
    await LocalNatsCluster.destroyAll();
  }, 60_000);

  it(`${String(REPLICAS)} replicas started together on a fresh consumer: every one pulls, in each of ${String(ROUNDS)} rounds`, async () => {
    const pulling: number[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const consumer = `ingest-${tag}-${String(round)}`;
      const ids = Array.from({ length: REPLICAS }, (_, index) => `ingest-together-${tag}-${String(round)}-${String(index)}`);
      const replicas = ids.map((id) => new IngestionProcess(cluster.ingestionEnv(consumer, id)));
      const started = Date.now();
      try {
        await Promise.all(replicas.map((replica) => replica.start(60_000)));
        const { connection, manager } = await cluster.platformConnection();
        try {
          const requests = await waitFor(
            async () => (await manager.consumers.info(MQTT_MESSAGES_STREAM, consumer)).num_waiting,
            (count) => count >= REPLICAS,
            PULLING_WITHIN_MS,
            100,
          );
          const requestsAfterMs = Date.now() - started;
          const js = jetstream(connection);
          for (let seq = 1; seq <= PROBE_MESSAGES; seq += 1) {
            await js.publish(
              `$MQTT.msgs.vehicles.PROBE${tag.toUpperCase()}${String(round)}.telemetry`,
              JSON.stringify({ seq, ts: new Date().toISOString() }),
            );
          }
          const taken = await waitFor(
            async () => {
              const reports = await redis.hmget(ingestionStatusKey(testEnv.queuePrefix), ...ids);
              return reports.filter((report) => report !== null && (JSON.parse(report) as { lastMessageAt: number | null }).lastMessageAt !== null)
                .length;
            },
            (count) => count >= REPLICAS,
            15_000,
            250,
          );
          pulling.push(taken);
          console.log(
            `[replicas together] round ${String(round)}: ${String(requests)} pull requests for ${String(REPLICAS)} replicas ` +
              `${String(requestsAfterMs)} ms after their start; ${String(taken)} of ${String(REPLICAS)} took of the ${String(PROBE_MESSAGES)} ` +
              `messages then (load ${loadavg()[0].toFixed(1)})`,
          );
          await manager.consumers.delete(MQTT_MESSAGES_STREAM, consumer);
        } finally {
          await connection.close();
        }
      } finally {
        await Promise.all(replicas.map((replica) => replica.stop('SIGTERM', 20_000)));
      }
    }
    expect(pulling).toEqual(Array.from({ length: ROUNDS }, () => REPLICAS));
  }, 600_000);

  /**
   * A cluster started at the same time as its apps, or every node down at a replica's (re)start: the replica waits and
   * retries (it used to fail its start on the first refused connection), and pulls once the nodes are back. Runs after
   * the rounds above: it kills every node, and heal() brings them back from their stores.
   */
  it('a replica started while every node is down waits for them, then pulls', async () => {
    for (const node of cluster.nodes) await cluster.signal(node, 'SIGKILL');
    const consumer = `ingest-${tag}-late`;
    const id = `ingest-late-${tag}`;
    const replica = new IngestionProcess(cluster.ingestionEnv(consumer, id));
    const ready = replica.start(180_000);
    ready.catch(() => undefined); // awaited below; a rejection before that must not go unhandled
    try {
      await waitFor(
        async () => replica.log.includes('retrying every') || !replica.running,
        (seen) => seen,
        30_000,
        100,
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(replica.running).toBe(true);
      expect(replica.log).not.toContain('ingestion ready');
      const healStarted = Date.now();
      await cluster.heal();
      await ready;
      const readyAfterMs = Date.now() - healStarted;
      const { connection, manager } = await cluster.platformConnection();
      try {
        const js = jetstream(connection);
        for (let seq = 1; seq <= 5; seq += 1) {
          await js.publish(`$MQTT.msgs.vehicles.PROBE${tag.toUpperCase()}LATE.telemetry`, JSON.stringify({ seq, ts: new Date().toISOString() }));
        }
        const took = await waitFor(
          async () => {
            const report = await redis.hget(ingestionStatusKey(testEnv.queuePrefix), id);
            return report !== null && (JSON.parse(report) as { lastMessageAt: number | null }).lastMessageAt !== null;
          },
          (seen) => seen,
          30_000,
          250,
        );
        console.log(
          `[ingestion start] every node down at the replica's start: it waited, ready ${String(readyAfterMs)} ms after the nodes were ` +
            `started again, took messages: ${String(took)} (load ${loadavg()[0].toFixed(1)})`,
        );
        expect(took).toBe(true);
        await manager.consumers.delete(MQTT_MESSAGES_STREAM, consumer);
      } finally {
        await connection.close();
      }
    } finally {
      await replica.stop('SIGTERM', 20_000);
    }
  }, 300_000);

  it('a replica whose login the cluster refuses fails its start at once', async () => {
    const replica = new IngestionProcess({
      ...cluster.ingestionEnv(`ingest-${tag}-refused`, `ingest-refused-${tag}`),
      NATS_PASSWORD: 'not-the-password',
    });
    await expect(replica.start(60_000)).rejects.toThrow(/exited with 1[\s\S]*Authorization Violation/i);
  }, 90_000);
});
