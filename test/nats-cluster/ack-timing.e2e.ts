import { randomUUID } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstream, type JetStreamManager, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { MqttClient } from 'mqtt';
import { NATS_PLATFORM_USER } from '#app/broker-auth';
import { JS_API_TIMEOUT_MS, LocalNatsCluster, messageOf } from './nats-cluster.fixture.js';

const MQTT_MESSAGES_STREAM = '$MQTT_msgs';
const CAPTURE_STREAM = 'ACK_TIMING_CAPTURE';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with the time to the PUBACK, or 'no PUBACK' if none came within `withinMs`. */
async function timedPublish(
  client: MqttClient,
  topic: string,
  payload: string,
  withinMs: number,
): Promise<{ ackMs: number | 'no PUBACK'; settled: Promise<unknown> }> {
  const start = Date.now();
  const settled = client.publishAsync(topic, payload, { qos: 1 });
  const outcome = await Promise.race([settled.then(() => Date.now() - start), sleep(withinMs).then(() => 'no PUBACK' as const)]);
  return { ackMs: outcome, settled };
}

/**
 * Reads (and acknowledges) everything a durable consumer of `stream` holds into `into`, keyed by stream sequence (a
 * message delivered again after an acknowledgement lost in an election is the same stored message, not a duplicate;
 * a duplicate would be a second sequence). Done only once the consumer's leader reports nothing pending and nothing
 * unacknowledged: a pull that expires empty is not the end (a consumer leader just elected, or slow on a loaded
 * machine, can let a 1.5-s pull expire with messages left, which read as "lost").
 */
async function drainDurable(
  connection: NatsConnection,
  stream: string,
  durable: string,
  into = new Map<number, string>(),
  timeout = JS_API_TIMEOUT_MS,
  withinMs = 60_000,
): Promise<Map<number, string>> {
  const deadline = Date.now() + withinMs;
  const consumer = await jetstream(connection, { timeout }).consumers.get(stream, durable);
  for (;;) {
    let fetched = 0;
    for await (const message of await consumer.fetch({ max_messages: 1_000, expires: 1_500 })) {
      into.set(message.seq, message.string());
      message.ack();
      fetched += 1;
    }
    if (fetched > 0) continue;
    // The acknowledgements sent reach the server before its count is read.
    await connection.flush();
    const { num_pending: pending, num_ack_pending: unacknowledged } = await consumer.info();
    if (pending === 0 && unacknowledged === 0) return into;
    if (Date.now() > deadline) {
      throw new Error(`${durable}: ${String(pending)} pending, ${String(unacknowledged)} unacknowledged after ${String(withinMs)} ms`);
    }
  }
}

/**
 * Reads a whole stream through an ordered (ephemeral) consumer: as many messages as the stream's leader says it holds
 * (the burst is over when this runs), not until a pull expires empty (see drainDurable).
 */
async function readStream(connection: NatsConnection, stream: string, timeout = JS_API_TIMEOUT_MS, withinMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + withinMs;
  const manager = await jetstreamManager(connection, { timeout, checkAPI: false });
  const held = (await manager.streams.info(stream)).state.messages;
  const consumer = await jetstream(connection, { timeout }).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
  const payloads: string[] = [];
  while (payloads.length < held) {
    if (Date.now() > deadline) throw new Error(`${stream}: read ${String(payloads.length)} of ${String(held)} messages in ${String(withinMs)} ms`);
    for await (const message of await consumer.fetch({ max_messages: 1_000, expires: 1_500 })) payloads.push(message.string());
  }
  return payloads;
}

/**
 * Runs a read again until it succeeds or `withinMs` passed: right after a node's death or restart a stream's or a
 * consumer's replicas may still be electing their leader ("no responders", timeouts). Reads that acknowledge pass
 * the same accumulator to every attempt, so nothing an attempt took before failing is dropped.
 */
async function retried<T>(read: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

/**
 * When does a node of the NATS tier send the PUBACK for a device's QoS 1 publish? nats-server's MQTT listener (2.10.27,
 * 2.15) (server/mqtt.go, mqttProcessPub -> mqttInitiateMsgDelivery) publishes the message as plain NATS traffic (what a
 * stream capturing the subject receives, unacknowledged), then stores it in its own replicated stream `$MQTT_msgs` (R3
 * here) as a JetStream publish whose answer comes once the stream's Raft group committed it, waiting for that answer
 * (4 s at most on 2.10, 5 s on 2.15: mqtt.js_api_timeout), and only then sends the PUBACK. These tests show it on a real
 * 3-node cluster with nodes frozen (SIGSTOP: a frozen node's kernel still takes in what is sent to it, but the node
 * answers nothing) and killed (SIGKILL).
 */
describe('NATS cluster: when a QoS 1 publish is acknowledged', () => {
  let cluster: LocalNatsCluster;
  let connection: NatsConnection;
  /** The same connection, for afterAll: unset when beforeAll failed before connecting (the cluster never got ready). */
  let opened: NatsConnection | undefined;
  let manager: JetStreamManager;
  const tag = randomUUID().slice(0, 8);
  const durables = { frozen: `ack-frozen-${tag}`, kill: `ack-kill-${tag}`, capture: `ack-capture-${tag}` };
  const login = (clientId: string) => ({ username: NATS_PLATFORM_USER, password: cluster.platformPassword, clientId });

  beforeAll(async () => {
    // A fresh cluster, ready: the MQTT listener's streams exist with all replicas current on every node.
    cluster = await LocalNatsCluster.start('ack-timing');
    ({ connection, manager } = await cluster.platformConnection());
    opened = connection;
    // $MQTT_msgs keeps a message only while a consumer wants it (interest retention): these durables hold the probes.
    const filters = { frozen: 'acktiming.frozen.*', kill: 'acktiming.kill', capture: 'acktiming.capture.*' } as const;
    for (const key of ['frozen', 'kill', 'capture'] as const) {
      await manager.consumers.add(MQTT_MESSAGES_STREAM, {
        durable_name: durables[key],
        filter_subject: `$MQTT.msgs.${filters[key]}`,
        ack_policy: AckPolicy.Explicit,
        // An acknowledgement lost while the consumer elects a leader: the message comes again within seconds.
        ack_wait: nanos(5_000),
        max_ack_pending: 100_000,
      });
    }
  }, 120_000);

  afterAll(async () => {
    // The whole cluster goes (nodes killed, folder removed), whatever a test left frozen or dead.
    try {
      await opened?.close();
    } finally {
      await LocalNatsCluster.destroyAll();
    }
  }, 60_000);

  it('sends the PUBACK once the message is stored on 2 of the 3 nodes, not before', async () => {
    const leader = await cluster.streamLeader(manager, MQTT_MESSAGES_STREAM);
    const [first, second] = cluster.nodes.filter((node) => node !== leader);
    const replicas = (await manager.streams.info(MQTT_MESSAGES_STREAM)).cluster?.replicas ?? [];
    console.log(
      `[nats ack timing] $MQTT_msgs led by ${cluster.nameOf(leader)}, followers ${replicas.map((r) => `${r.name} current=${String(r.current)}`).join(', ')}`,
    );
    const publisher = await cluster.connectMqtt(leader, login(`ack-frozen-pub-${tag}`));
    try {
      const healthy = await timedPublish(publisher, 'acktiming/frozen/0', 'all three up', 5_000);
      // Each returns once every thread of the node is stopped (/proc), not when SIGSTOP was merely queued.
      const firstFrozenMs = await cluster.signal(first, 'SIGSTOP');
      const oneFrozen = await timedPublish(publisher, 'acktiming/frozen/1', 'one follower frozen', 5_000);
      const secondFrozenMs = await cluster.signal(second, 'SIGSTOP');
      // Under the listener's store timeout (4 s on 2.10, 5 s on 2.15) (after which it closes the device's connection).
      const twoFrozen = await timedPublish(publisher, 'acktiming/frozen/2', 'both followers frozen', 2_500);
      const resumedAt = Date.now();
      await cluster.signal(first, 'SIGCONT');
      await cluster.signal(second, 'SIGCONT');
      await twoFrozen.settled;
      const afterResumeMs = Date.now() - resumedAt;
      const leaderAfter = await cluster.streamLeader(manager, MQTT_MESSAGES_STREAM);
      console.log(
        `[nats ack timing] followers frozen (every thread T) ${String(firstFrozenMs)} ms and ${String(secondFrozenMs)} ms after their SIGSTOP; ` +
          `PUBACK from the $MQTT_msgs leader: all up ${String(healthy.ackMs)} ms; one follower frozen ${String(oneFrozen.ackMs)} ms; ` +
          `both followers frozen: ${String(twoFrozen.ackMs)} within 2.5 s, PUBACK ${String(afterResumeMs)} ms after they were resumed; leader then ${cluster.nameOf(leaderAfter)}`,
      );
      expect(typeof healthy.ackMs).toBe('number');
      expect(typeof oneFrozen.ackMs).toBe('number');
      expect(twoFrozen.ackMs).toBe('no PUBACK');
      expect([...(await drainDurable(connection, MQTT_MESSAGES_STREAM, durables.frozen)).values()].sort()).toEqual([
        'all three up',
        'both followers frozen',
        'one follower frozen',
      ]);
    } finally {
      await publisher.endAsync(true);
      await cluster.heal();
    }
  }, 60_000);

  it('loses nothing it acknowledged when the receiving node is killed right after the PUBACK', async () => {
    const leader = await cluster.streamLeader(manager, MQTT_MESSAGES_STREAM);
    const [first] = cluster.nodes.filter((node) => node !== leader);
    const publisher = await cluster.connectMqtt(leader, login(`ack-kill-pub-${tag}`));
    const payload = `acknowledged-then-killed-${tag}`;
    // One follower frozen: only the running follower can have acknowledged the entry before the PUBACK. (The frozen
    // one's kernel still takes in what the leader sends; it stores it once resumed, so it may hold a copy too.)
    await cluster.signal(first, 'SIGSTOP');
    try {
      const { ackMs } = await timedPublish(publisher, 'acktiming/kill', payload, 5_000);
      await cluster.signal(leader, 'SIGKILL');
      await cluster.signal(first, 'SIGCONT');
      publisher.end(true);
      // Read from the two survivors, before the killed node is back: the copy that counts is not on its disk. First the
      // stream itself (its new leader answers once elected: a message it lacks is gone), then the durable consumer.
      const killedAt = Date.now();
      let inStream: string | undefined;
      let lastError = 'none';
      // Short requests: one sent during the election is never answered, and would otherwise wait the 20-s API timeout.
      const polling = await jetstreamManager(connection, { timeout: 2_000, checkAPI: false });
      while (inStream === undefined && Date.now() - killedAt < 30_000) {
        try {
          const message = await polling.streams.getMessage(MQTT_MESSAGES_STREAM, { last_by_subj: '$MQTT.msgs.acktiming.kill' });
          inStream = message === null ? 'MISSING' : message.string();
        } catch (error) {
          // The survivors are electing a new leader for the stream: ask again.
          lastError = messageOf(error);
          await sleep(250);
        }
      }
      const streamReadMs = Date.now() - killedAt;
      const survivorLeader = await cluster.streamLeader(manager, MQTT_MESSAGES_STREAM).then(
        (node) => cluster.nameOf(node),
        (error: unknown) => `none (${messageOf(error)})`,
      );
      const stored = new Map<number, string>();
      for (;;) {
        try {
          await drainDurable(connection, MQTT_MESSAGES_STREAM, durables.kill, stored);
          if (stored.size > 0 || Date.now() - killedAt > 40_000) break;
        } catch (error) {
          // The consumer's replicas elect their own leader, after the stream's.
          lastError = messageOf(error);
          if (Date.now() - killedAt > 40_000) break;
        }
        await sleep(250);
      }
      const readMs = Date.now() - killedAt;
      console.log(
        `[nats ack timing] PUBACK after ${String(ackMs)} ms, then the receiving node (the stream leader ${cluster.nameOf(leader)}) SIGKILLed ` +
          `(follower ${cluster.nameOf(first)} frozen at the publish, resumed at the kill): $MQTT_msgs led by ${survivorLeader} ` +
          `${String(streamReadMs)} ms after the kill, message ${inStream === payload ? 'present' : (inStream ?? 'unknown: no leader answered')}; ` +
          `read through the durable consumer ${String(readMs)} ms after the kill: ${[...stored.values()].includes(payload) ? 'present' : 'MISSING'} (last error: ${lastError})`,
      );
      expect(inStream).toBe(payload);
      expect(typeof ackMs).toBe('number');
      expect([...stored.values()]).toEqual([payload]);
    } finally {
      // Whatever failed above, the next test gets the whole cluster back.
      await cluster.heal();
    }
  }, 120_000);

  it('feeds a stream of our own capturing the subject without waiting: its leader killed mid-burst loses acknowledged messages, $MQTT_msgs none', async () => {
    await manager.streams.add({
      name: CAPTURE_STREAM,
      subjects: ['acktiming.capture.*'],
      num_replicas: 3,
      retention: RetentionPolicy.Limits,
      storage: StorageType.File,
    });
    // The capture stream led by a node that does not lead $MQTT_msgs (a leader step-down moves it), and the device on
    // the third node: the kill then leaves the path of the PUBACK untouched, and only the capture stream is leaderless.
    const mqttLeader = await cluster.streamLeader(manager, MQTT_MESSAGES_STREAM);
    let captureLeader = await cluster.streamLeader(manager, CAPTURE_STREAM);
    for (let attempt = 0; captureLeader === mqttLeader && attempt < 10; attempt += 1) {
      await connection.request(`$JS.API.STREAM.LEADER.STEPDOWN.${CAPTURE_STREAM}`, '', { timeout: 5_000 }).catch(() => undefined);
      await sleep(1_000);
      captureLeader = await cluster.streamLeader(manager, CAPTURE_STREAM).catch(() => mqttLeader);
    }
    expect(captureLeader).not.toBe(mqttLeader);
    const entry = cluster.nodes.find((node) => node !== captureLeader && node !== mqttLeader) ?? 0;
    // Reconnecting: should the capture leader also lead $MQTT_msgs, the listener closes a connection whose store timed
    // out during the election, and mqtt.js sends what was not acknowledged again on the next connection.
    const publisher = await cluster.connectMqtt(entry, login(`ack-capture-pub-${tag}`), { reconnectPeriod: 250 });
    const acknowledged = new Set<string>();
    let sent = 0;
    let stopping = false;
    const burst = (async () => {
      const inFlight = new Set<Promise<unknown>>();
      while (!stopping) {
        const n = String((sent += 1));
        const publish = publisher.publishAsync(`acktiming/capture/${String(sent % 10)}`, n, { qos: 1 }).then(
          () => acknowledged.add(n),
          () => undefined,
        );
        inFlight.add(publish);
        void publish.finally(() => inFlight.delete(publish));
        if (inFlight.size >= 200) await Promise.race([...inFlight, sleep(100)]);
      }
      // What is still unacknowledged after this is not counted as acknowledged (it cannot be lost by the measure).
      await Promise.race([Promise.allSettled([...inFlight]), sleep(10_000)]);
    })();
    await sleep(1_500);
    const acknowledgedAtKill = acknowledged.size;
    await cluster.signal(captureLeader, 'SIGKILL');
    await sleep(3_000);
    stopping = true;
    await burst;
    await publisher.endAsync(true);
    // Read from the two survivors (both streams keep a quorum); the killed node stays down, afterAll removes the cluster.
    // (A heal here once waited 90 s for the meta group's followers to be current again, on 2.10.27.) Short requests,
    // retried: one sent while the capture stream elects its new leader goes unanswered.
    const captured = new Set(await retried(() => readStream(connection, CAPTURE_STREAM, 2_000), 60_000));
    const drained = new Map<number, string>();
    const inMqttStream = new Set(
      (await retried(() => drainDurable(connection, MQTT_MESSAGES_STREAM, durables.capture, drained, 2_000), 60_000)).values(),
    );
    const lostFromCapture = [...acknowledged].filter((n) => !captured.has(n)).length;
    const lostFromMqttStream = [...acknowledged].filter((n) => !inMqttStream.has(n)).length;
    console.log(
      `[nats ack timing] capture stream leader ${cluster.nameOf(captureLeader)} SIGKILLed mid-burst published through ${cluster.nameOf(entry)} ` +
        `($MQTT_msgs led by ${cluster.nameOf(mqttLeader)}; ${String(acknowledgedAtKill)} acknowledged at the kill): ` +
        `acknowledged ${String(acknowledged.size)} of ${String(sent)} sent; lost from the capture stream ${String(lostFromCapture)}, ` +
        `lost from $MQTT_msgs ${String(lostFromMqttStream)}`,
    );
    expect(acknowledged.size).toBeGreaterThan(acknowledgedAtKill);
    expect(lostFromMqttStream).toBe(0);
  }, 120_000);
});
