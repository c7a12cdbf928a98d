import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { MqttClient } from 'mqtt';
import { generateDeviceSecret, hashMosquittoPassword, hashNatsPassword, syncNatsAuthorization } from '#app/broker-auth';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { ingestionStatusKey } from '#app/observability';
import { createFleet, type FleetFixture, sampleFor } from '../support/fixtures.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';
import { LocalNatsCluster } from './nats-cluster.fixture.js';

const CARS = 50;
const BURST_PER_CAR = 100;
const MQTT_MESSAGES_STREAM = '$MQTT_msgs';

interface Car {
  vehicleId: string;
  vin: string;
  serial: string;
  password: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const telemetryTopic = (vin: string): string => `vehicles/${vin}/telemetry`;

async function countStored(prisma: PrismaClient, fleet: FleetFixture, minSeq: number, maxSeq: number): Promise<{ rows: number; distinct: number }> {
  const [row] = await prisma.$queryRaw<{ rows: bigint; distinct: bigint }[]>`
    SELECT count(*) AS rows, count(DISTINCT ("vehicleId", seq)) AS distinct
    FROM telemetry_samples
    WHERE "vehicleId" = ANY(${fleet.vehicles.map((v) => v.id)}::uuid[]) AND seq BETWEEN ${minSeq} AND ${maxSeq}`;
  return { rows: Number(row.rows), distinct: Number(row.distinct) };
}

/**
 * The NATS broker tier end to end: 50 cars log in as devices (NATS users rendered from the devices table) over
 * MQTT 3.1.1 to the three nodes of scripts/nats-cluster.sh, and two real ingestion processes share ONE durable
 * consumer of the replicated stream, acknowledging after commit.
 */
describe('NATS broker tier: devices on 3 nodes, two ingestion replicas on one durable consumer', () => {
  let cluster: LocalNatsCluster;
  let prisma: PrismaClient;
  let redis: Redis;
  let fleet: FleetFixture;
  let cars: Car[];
  const tag = randomUUID().slice(0, 8);
  const consumer = `ingest-${tag}`;
  const replicas: IngestionProcess[] = [];
  const replicaIds = [`ingest-nats-${tag}-a`, `ingest-nats-${tag}-b`];

  beforeAll(async () => {
    const setupStarted = Date.now();
    // First (they connect lazily): afterAll ends them also when the cluster's start failed.
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
    redis = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
    // A fresh cluster, ready: the MQTT listener's streams exist with all replicas current on every node.
    cluster = await LocalNatsCluster.start('ingestion');
    const clusterReadyMs = Date.now() - setupStarted;
    fleet = await createFleet(prisma, CARS);
    cars = [];
    for (const [index, vehicle] of fleet.vehicles.entries()) {
      const password = generateDeviceSecret();
      const serial = `nats-${tag}-${String(index)}`;
      await prisma.device.create({
        data: {
          vehicleId: vehicle.id,
          serial,
          credentialHash: hashMosquittoPassword(password),
          natsCredentialHash: await hashNatsPassword(password),
        },
      });
      cars.push({ vehicleId: vehicle.id, vin: vehicle.vin, serial, password });
    }
    // The nodes' logins, from the devices table (every ACTIVE device of this database with a NATS hash).
    const outcome = await syncNatsAuthorization(prisma, cluster.dir);
    expect(outcome.devices).toBeGreaterThanOrEqual(CARS);
    await cluster.reload();
    const devicesReadyMs = Date.now() - setupStarted;
    for (const clientId of replicaIds) {
      const replica = new IngestionProcess({
        ...cluster.ingestionEnv(consumer, clientId),
        NATS_ACK_WAIT_MS: '10000',
        SCORING_DEBOUNCE_MS: '2000',
      });
      // One after the other, so this file tests storage alone; replicas started at once are
      // test/nats-cluster/ingestion-start.e2e.ts.
      await replica.start(60_000);
      replicas.push(replica);
    }
    // A replica logs its ready line before its first pull request reaches the consumer's leader; a burst published
    // before then all goes to the other one. Both pulling (2 waiting requests) is what "sharing the consumer" needs.
    const { connection, manager } = await cluster.platformConnection();
    const waiting = await waitFor(
      async () => (await manager.consumers.info(MQTT_MESSAGES_STREAM, consumer)).num_waiting,
      (count) => count >= replicas.length,
      30_000,
      100,
    );
    await connection.close();
    if (waiting < replicas.length) throw new Error(`only ${String(waiting)} of ${String(replicas.length)} replicas pull from ${consumer} after 30 s`);
    console.log(
      `[nats ingestion] set-up: cluster ready after ${String(clusterReadyMs)} ms, ${String(CARS)} devices logged in after ${String(devicesReadyMs)} ms, ` +
        `2 ingestion replicas up after ${String(Date.now() - setupStarted)} ms`,
    );
  }, 180_000);

  afterAll(async () => {
    try {
      await Promise.all(replicas.map((replica) => replica.stop('SIGTERM', 20_000)));
      await prisma.device.updateMany({ where: { serial: { startsWith: `nats-${tag}-` } }, data: { status: 'REVOKED' } });
      await prisma.$disconnect();
      redis.disconnect();
    } finally {
      // The whole cluster goes (nodes killed, folder with its streams and consumers removed), whatever a test left.
      await LocalNatsCluster.destroyAll();
    }
  }, 60_000);

  const login = (car: Car) => ({ username: car.serial, password: car.password, clientId: car.serial });

  it('stores every sample once, whichever node a car publishes to, with both replicas taking messages', async () => {
    const perCar = 20;
    const devices = await Promise.all(cars.map((car, index) => cluster.connectMqtt(index % 3, login(car))));
    try {
      await Promise.all(
        devices.map(async (device, index) => {
          const car = cars[index];
          for (let seq = 1; seq <= perCar; seq += 1) await device.publishAsync(telemetryTopic(car.vin), JSON.stringify(sampleFor(seq)), { qos: 1 });
        }),
      );
    } finally {
      await Promise.all(devices.map((device) => device.endAsync()));
    }
    const stored = await waitFor(
      () => countStored(prisma, fleet, 1, perCar),
      (count) => count.distinct >= CARS * perCar,
      60_000,
    );
    // Each replica reports the time of the last message it took (every 500 ms here).
    const taken = await waitFor(
      async () => {
        const statuses = await redis.hmget(ingestionStatusKey(testEnv.queuePrefix), ...replicaIds);
        return statuses.map((status) => (status === null ? null : (JSON.parse(status) as { lastMessageAt: number | null }).lastMessageAt));
      },
      (times) => times.every((time) => time !== null),
      10_000,
    );
    console.log(
      `[nats ingestion] ${String(CARS)} cars x ${String(perCar)} over 3 nodes, all acknowledged: rows=${String(stored.rows)} distinct=${String(stored.distinct)}; ` +
        `lost=${String(CARS * perCar - stored.distinct)} duplicated=${String(stored.rows - stored.distinct)}; ` +
        `last message taken by replica a at ${String(taken[0])}, b at ${String(taken[1])}`,
    );
    expect(stored).toEqual({ rows: CARS * perCar, distinct: CARS * perCar });
    expect(taken.every((time) => time !== null)).toBe(true);
    expect(replicas.every((replica) => replica.running)).toBe(true);
  }, 120_000);

  it('loses none of the acknowledged samples and stores none twice when a node is SIGKILLed during a 50 x 100 burst', async () => {
    const firstSeq = 1_000;
    const { connection, manager } = await cluster.platformConnection();
    // The worst node to lose: the leader of the stream every publish waits for (its followers must elect a new one).
    const victim = await cluster.streamLeader(manager, MQTT_MESSAGES_STREAM);
    await connection.close();
    const devices: MqttClient[] = await Promise.all(cars.map((car, index) => cluster.connectDevice(index % 3, login(car))));
    const acknowledged = cars.map(() => new Set<number>());
    let acknowledgedCount = 0;
    const total = CARS * BURST_PER_CAR;
    const burst = Promise.all(
      devices.map(async (device, index) => {
        const car = cars[index];
        const publishes: Promise<void>[] = [];
        for (let seq = firstSeq; seq < firstSeq + BURST_PER_CAR; seq += 1) {
          publishes.push(
            device.publishAsync(telemetryTopic(car.vin), JSON.stringify(sampleFor(seq)), { qos: 1 }).then(() => {
              acknowledged[index].add(seq);
              acknowledgedCount += 1;
            }),
          );
          // Spread each car's messages over the burst rather than queueing all at once.
          if (seq % 10 === 9) await sleep(20);
        }
        await Promise.allSettled(publishes);
      }),
    );
    await waitFor(
      () => Promise.resolve(acknowledgedCount),
      (count) => count >= total / 4,
      60_000,
      5,
    );
    const acknowledgedAtKill = acknowledgedCount;
    const killedAt = Date.now();
    await cluster.signal(victim, 'SIGKILL');
    // Every device gets every message acknowledged in the end (those of the dead node reconnect to another node).
    const settled = await Promise.race([burst.then(() => 'all acknowledged' as const), sleep(90_000).then(() => 'timed out' as const)]);
    const burstMs = Date.now() - killedAt;
    await Promise.all(devices.map((device) => device.endAsync(true)));
    // The killed node restarted from its own store, no manual step: heal() returns once it is routed to both others
    // and every MQTT stream has 2 current replicas again.
    const restartedAt = Date.now();
    await cluster.heal();
    const rejoinMs = Date.now() - restartedAt;
    const rejoinedRoutes = await cluster.routes(victim);
    const { connection: admin, manager: adminManager } = await cluster.platformConnection();
    const currentCopies = await cluster.currentReplicas(adminManager, MQTT_MESSAGES_STREAM);
    await admin.close();
    const acknowledgedTotal = acknowledged.reduce((sum, set) => sum + set.size, 0);
    const stored = await waitFor(
      () => countStored(prisma, fleet, firstSeq, firstSeq + BURST_PER_CAR - 1),
      (count) => count.distinct >= acknowledgedTotal,
      90_000,
    );
    const [row] = await prisma.$queryRaw<{ missing: bigint }[]>`
      SELECT count(*) AS missing FROM unnest(${cars.flatMap((car, index) => [...acknowledged[index]].map(() => car.vehicleId))}::uuid[],
        ${cars.flatMap((_car, index) => [...acknowledged[index]])}::bigint[]) AS acked("vehicleId", seq)
      WHERE NOT EXISTS (SELECT 1 FROM telemetry_samples t WHERE t."vehicleId" = acked."vehicleId" AND t.seq = acked.seq)`;
    const lost = Number(row.missing);
    const duplicated = stored.rows - stored.distinct;
    console.log(
      `[nats ingestion] SIGKILL of ${cluster.nameOf(victim)} (the $MQTT_msgs leader) with ${String(acknowledgedAtKill)} of ${String(total)} acknowledged: ` +
        `${settled} ${String(burstMs)} ms after the kill, acknowledged ${String(acknowledgedTotal)}, stored rows=${String(stored.rows)} ` +
        `distinct=${String(stored.distinct)}; lost=${String(lost)} duplicated=${String(duplicated)}; restarted node rejoined in ${String(rejoinMs)} ms ` +
        `with ${String(rejoinedRoutes)} routes, ${currentCopies.includes(victim) ? 'a current' : 'NOT a current'} replica of ${MQTT_MESSAGES_STREAM}`,
    );
    expect(settled).toBe('all acknowledged');
    expect(acknowledgedTotal).toBe(total);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(rejoinedRoutes).toBe(2);
    expect(currentCopies.sort()).toEqual([0, 1, 2]);
    expect(replicas.every((replica) => replica.running)).toBe(true);
  }, 300_000);

  it("refuses a device's publish to another VIN's topic, its subscriptions and a wrong password", async () => {
    const [own, other] = cars;
    const device = await cluster.connectMqtt(1, login(own));
    try {
      // NATS (2.9.10, 2.10.27, 2.15.1) acknowledges a QoS 1 publish it refused (as Mosquitto does with MQTT 3.1.1) and drops it.
      await device.publishAsync(telemetryTopic(other.vin), JSON.stringify(sampleFor(5_000)), { qos: 1 });
      await device.publishAsync(telemetryTopic(own.vin), JSON.stringify(sampleFor(5_001)), { qos: 1 });
      const subscription = await device.subscribeAsync(telemetryTopic(own.vin), { qos: 1 }).then(
        () => 'granted',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      const ownStored = await waitFor(
        () => prisma.telemetrySample.count({ where: { vehicleId: own.vehicleId, seq: 5_001 } }),
        (count) => count === 1,
        30_000,
      );
      // The own sample was committed after the cross-VIN one would have been: the stream is in order per publisher.
      const crossStored = await prisma.telemetrySample.count({ where: { vehicleId: other.vehicleId, seq: 5_000 } });
      const wrongPassword = await cluster.connectMqtt(0, { ...login(own), password: 'not-the-secret' }).then(
        async (client) => {
          await client.endAsync();
          return 'connected';
        },
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
      console.log(
        `[nats ingestion] device ${own.serial}: own sample stored ${String(ownStored)}, sample on another VIN's topic stored ${String(crossStored)}; ` +
          `SUBSCRIBE: ${subscription}; wrong password: ${wrongPassword}`,
      );
      expect(ownStored).toBe(1);
      expect(crossStored).toBe(0);
      expect(subscription).toMatch(/Subscribe error/);
      expect(wrongPassword).toMatch(/Not authorized/);
    } finally {
      await device.endAsync(true);
    }
  }, 60_000);
});
