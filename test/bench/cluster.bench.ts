// npm run bench:cluster [-- --devices 300 --rate 3000 --seconds 20 --window 10 --rounds 1 --backlog true --reference true]
// Throughput that grows with nodes (issue 13): the NATS cluster of `npm run cluster` (3 broker nodes, a 3+3 Redis
// Cluster) on free ports and a Postgres of the bench's own, with 1 and with 3 ingestion replicas in the same run, the
// same offered load, in the order 1, 3, 3, 1 per round. The devices are real device logins (both hashes, synced to
// the nodes) spread over the 3 nodes' MQTT listeners, publishing QoS 1 at a fixed offered rate. Per phase: the
// broker's acceptance (PUBACKs/s), stored messages/s and publish-to-stored p50/p99 from the rows, lost and duplicated,
// the CPU seconds each class of process used (from /proc: the replicas summed, each NATS node, Postgres' postmaster
// with its backends and background processes, the bench process that publishes) per 1,000 stored messages, each
// class's idle use, and Postgres sessions waiting for locks. No demo fleet; the workers are stopped.
// Then backlog phases (1, 3, 3, 1): the replicas stopped while the devices publish, then started to drain it.
// Then, with the cluster stopped, the single-machine path at the same load for reference: one ingestion replica on
// a Mosquitto of its own, the same devices (anonymous there), the same Postgres.
// A side-by-side table, then one JSON object as the last line. A benchmark, not a test (README "Throughput with 1
// and 3 ingestion replicas").
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { createPrismaClient } from '#app/database';
import { connectDevices, type DeviceLogin, provisionDevices } from '../cluster/device-burst.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { ScratchBroker, ScratchPostgres, ScratchRedis } from '../support/scratch-servers.js';
import { ClusterUnderBench } from './cluster/cluster-under-bench.js';
import { BenchPhases, STORE_TIMEOUT_MS } from './cluster/bench-phases.js';
import { type ProcessGroup, type SidePhase, sideBySideTable, sideOrder, type SideSummary, summarizeSide } from './cluster/side-by-side.js';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '300' },
    /** Offered load, messages/s over all devices. */
    rate: { type: 'string', default: '3000' },
    seconds: { type: 'string', default: '20' },
    /** QoS 1 publishes in flight per device at most. */
    window: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '1' },
    /** The backlog phases (ingestion draining what the broker holds, 1 and 3 replicas) after the live ones. */
    backlog: { type: 'string', default: 'true' },
    /** The single-machine reference (Mosquitto, one replica) after the cluster's phases. */
    reference: { type: 'string', default: 'true' },
  },
});
const deviceCount = Number(values.devices);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const window = Number(values.window);
const rounds = Number(values.rounds);
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error(`clean-up: ${String(error)}`));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench:cluster: ${signal}, stopping what it started`);
    void cleanUp().finally(() => process.exit(1));
  });
}

/** Connects in groups of 30 (the reference's anonymous devices; connectDevices does the cluster's logins in waves). */
async function connectInGroups(
  logins: readonly DeviceLogin[],
  connectGroup: (group: readonly DeviceLogin[]) => Promise<MqttClient[]>,
): Promise<MqttClient[]> {
  const clients: MqttClient[] = [];
  for (let start = 0; start < logins.length; start += 30) clients.push(...(await connectGroup(logins.slice(start, start + 30))));
  return clients;
}

const postgres = await ScratchPostgres.start();
cleanups.push(() => postgres.destroy());
const pool = new pg.Pool({ connectionString: postgres.url, max: 3 });
pool.on('error', (error) => console.warn(`bench pool: idle connection lost (${error.message})`));
cleanups.push(() => pool.end());
const postmasterPid = await postgres.postmasterPid();
const shared: ProcessGroup[] = [
  { name: 'Postgres (all its processes)', pids: [postmasterPid], tree: true },
  { name: 'publishers (bench process)', pids: [process.pid] },
];
const phases = new BenchPhases(pool, { durationMs: seconds * 1000, rate, window, seqs: new Map() }, shared);
const results = new Map<string, SidePhase[]>();
const record = (side: string, phase: SidePhase): void => {
  results.set(side, [...(results.get(side) ?? []), phase]);
};

try {
  console.log(
    `cluster bench: ${String(deviceCount)} devices over 3 broker nodes, ${String(rate)} msg/s offered (QoS 1, ${String(window)} in flight per device at most), ` +
      `${String(seconds)} s per phase, sides ${sideOrder(1, 3, rounds).join(',')}; load ${load()}`,
  );
  let started = Date.now();
  const cluster = await ClusterUnderBench.prepare(postgres, 'carhealth');
  // Registered before the start: an interrupted or failed start is stopped too (cluster:stop reads the ports it recorded).
  cleanups.push(() => cluster.stop());
  await cluster.start();
  console.log(`npm run cluster: ${String(Math.round((Date.now() - started) / 1000))} s (no demo fleet; workers stopped); load ${load()}`);
  const prisma = createPrismaClient(postgres.url, 2);
  cleanups.push(() => prisma.$disconnect());
  started = Date.now();
  const logins = await provisionDevices(prisma, cluster.cluster, deviceCount, 'bench');
  const { devices } = await connectDevices(cluster.cluster, logins);
  cleanups.push(() => Promise.all(devices.map((device) => device.endAsync())));
  console.log(
    `${String(devices.length)} devices provisioned, synced to the nodes and connected in ${String(Math.round((Date.now() - started) / 1000))} s; load ${load()}`,
  );
  const channels = devices.map((client, index) => ({ client, vins: [logins[index]!.vin] }));

  let phase = 0;
  for (const replicas of sideOrder(1, 3, rounds)) {
    phase += 1;
    await cluster.useReplicas(replicas);
    await cluster.waitConsumerIdle(STORE_TIMEOUT_MS);
    const replicaPids = await cluster.replicaPids();
    const groups = [...(await cluster.processGroups()), ...shared];
    const detail = replicas > 1 ? [...replicaPids].map(([name, pid]) => ({ name, pids: [pid] })) : [];
    record(
      `replicas${String(replicas)}`,
      await phases.live(channels, { label: `phase ${String(phase)}, ${String(replicas)} replica(s)`, groups, detail }),
    );
  }
  if (values.backlog !== 'false') {
    for (const replicas of sideOrder(1, 3, rounds)) {
      phase += 1;
      record(
        `backlog${String(replicas)}`,
        await phases.backlog(cluster, channels, replicas, `phase ${String(phase)}, backlog, ${String(replicas)} replica(s)`),
      );
    }
  }
  await cluster.waitReady(['ingest-cluster-1']);
  console.log('after the phases: the API reports ready, every broker and Redis node up');
  for (const device of devices.splice(0)) await device.endAsync();
  await cluster.stop();

  if (values.reference !== 'false') {
    const broker = await ScratchBroker.start({ autosaveSeconds: 30 });
    cleanups.push(() => broker.destroy());
    const redis = await ScratchRedis.start();
    cleanups.push(() => redis.destroy());
    const ingestion = new IngestionProcess({
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      MQTT_URL: broker.url,
      MQTT_SHARE_GROUP: '',
      INGEST_CLIENT_ID: 'ingest-bench-reference',
      QUEUE_PREFIX: 'bench-reference',
      LOG_LEVEL: 'warn',
    });
    await ingestion.start(120_000);
    cleanups.push(() => ingestion.stop('SIGTERM', 30_000));
    const anonymous = await connectInGroups(logins, (group) =>
      Promise.all(group.map((login) => mqtt.connectAsync(broker.url, { clientId: login.serial, clean: true, protocolVersion: 4 }))),
    );
    cleanups.push(() => Promise.all(anonymous.map((device) => device.endAsync())));
    const groups: ProcessGroup[] = [
      { name: 'ingestion (replicas summed)', pids: [ingestion.pid!] },
      { name: 'Mosquitto', pids: [broker.pid!] },
      { name: 'Redis', pids: [redis.pid!] },
      ...shared,
    ];
    const referenceChannels = anonymous.map((client, index) => ({ client, vins: [logins[index]!.vin] }));
    record('mosquitto1', await phases.live(referenceChannels, { label: 'reference, Mosquitto, 1 replica', groups, detail: [] }));
  }

  const summaries = new Map<string, SideSummary>([...results].map(([side, phases]) => [side, summarizeSide(phases)]));
  const labels: Record<string, string> = {
    replicas1: 'NATS, 1 replica',
    replicas3: 'NATS, 3 replicas',
    backlog1: 'backlog, 1 replica',
    backlog3: 'backlog, 3 replicas',
    mosquitto1: 'Mosquitto, 1 replica',
  };
  console.log(`\n${sideBySideTable([...summaries].map(([side, summary]) => ({ label: labels[side] ?? side, summary })))}`);
  const one = summaries.get('replicas1')!;
  const three = summaries.get('replicas3')!;
  const pick = (summary: SideSummary | undefined): object | undefined =>
    summary && {
      acceptedPerSec: summary.acceptedPerSec,
      messagesPerSec: summary.messagesPerSec,
      p50Ms: summary.p50Ms,
      p99Ms: summary.p99Ms,
      cpuMsPerMessage: summary.cpuMsPerMessage,
      cpuMsPerMessageByGroup: summary.cpuMsPerMessageByGroup,
      netCpuMsPerMessage: summary.netCpuMsPerMessage,
      idlePercentByGroup: summary.idlePercentByGroup,
    };
  console.log(`3 replicas / 1 replica: ${(three.messagesPerSec / one.messagesPerSec).toFixed(2)} (stored msg/s, medians); load ${load()}`);
  console.log(
    JSON.stringify({
      devices: deviceCount,
      offeredPerSec: rate,
      seconds,
      replicas1: pick(one),
      replicas3: pick(three),
      ratio: Number((three.messagesPerSec / one.messagesPerSec).toFixed(2)),
      lost: [...summaries.values()].reduce((sum, summary) => sum + summary.lost, 0),
      duplicated: [...summaries.values()].reduce((sum, summary) => sum + summary.duplicated, 0),
      backlog1: pick(summaries.get('backlog1')),
      backlog3: pick(summaries.get('backlog3')),
      backlogRatio:
        summaries.has('backlog1') && summaries.has('backlog3')
          ? Number((summaries.get('backlog3')!.messagesPerSec / summaries.get('backlog1')!.messagesPerSec).toFixed(2))
          : undefined,
      reference: pick(summaries.get('mosquitto1')),
      loadavg: loadavg().map((value) => Number(value.toFixed(1))),
    }),
  );
} finally {
  await cleanUp();
}
