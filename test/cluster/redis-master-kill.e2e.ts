import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';
import { connectDevices, load, provisionDevices, sleep, startBurst, tally } from './device-burst.js';
import { clusterForFile } from './cluster-fixture.js';

const CARS = 30;
const PER_CAR = 100;

/** One node's answer to `command` (a fresh connection, no retries: a dead node answers with an error). */
async function ask(port: number, ...command: [string, ...string[]]): Promise<unknown> {
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    return await client.call(...command);
  } finally {
    client.disconnect();
  }
}

/** The master serving `key`'s slot and its replica, by port (CLUSTER KEYSLOT, then CLUSTER SLOTS on `via`). */
async function ownerOf(via: number, key: string): Promise<{ master: number; replica: number | undefined }> {
  const slot = Number(await ask(via, 'CLUSTER', 'KEYSLOT', key));
  const ranges = (await ask(via, 'CLUSTER', 'SLOTS')) as [number, number, ...[string, number, string][]][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  if (range === undefined) throw new Error(`slot ${String(slot)} has no master`);
  const [, , master, replica] = range;
  return { master: master[1], replica: replica?.[1] };
}

/**
 * Issue 13 item 5, third fault: on the topology `npm run cluster` starts, the Redis Cluster master holding the scoring
 * queue (BullMQ's keys of one queue share a slot: `{prefix:scoring}`) is SIGKILLed during a burst of QoS 1 telemetry
 * from cars logged in on the 3 broker nodes. Its replica is promoted (node timeout 2 s); ingestion, the workers and the
 * APIs carry on against the new master; jobs the old master had not passed on are lost with it, and the Postgres
 * reconciler schedules those cars again. Counted: acknowledged samples not stored (lost), rows stored twice
 * (duplicated), when the replica served the slot, and when every car had been scored.
 */
describe('npm run cluster: the Redis master of the scoring queue SIGKILLed during a burst', () => {
  const fixture = clusterForFile('redis-master-kill');

  it('loses no acknowledged sample, stores none twice, and scores every car after the failover', async () => {
    const { cluster, prisma } = fixture;
    const logins = await provisionDevices(prisma, cluster, CARS, 'redis-kill');
    const ids = logins.map((login) => login.vehicleId);
    // The cluster's queue prefix is its database's name (scripts/cluster.sh: QUEUE_PREFIX).
    const prefix = new URL(testEnv.databaseUrl).pathname.slice(1).replaceAll('_', '-');
    const [first] = cluster.redisPorts();
    const owner = await ownerOf(first, `{${prefix}:scoring}`);
    if (owner.replica === undefined) throw new Error(`the master ${String(owner.master)} of the scoring queue has no replica`);

    const devices = await connectDevices(cluster, logins);
    const burst = startBurst(devices, logins, PER_CAR);
    await waitFor(
      async () => burst.acks(),
      (count) => count >= (CARS * PER_CAR) / 3,
      120_000,
      20,
    );
    const ackedAtKill = burst.acks();
    const pid = Number(readFileSync(join(cluster.dir, 'redis', String(owner.master), 'redis.pid'), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    const replica = owner.replica;
    const promoted = await waitFor(
      async () => {
        const info = String(await ask(replica, 'CLUSTER', 'INFO').catch(() => ''));
        const role = String(await ask(replica, 'ROLE').catch(() => ''));
        return info.includes('cluster_state:ok') && role.startsWith('master');
      },
      (ok) => ok,
      60_000,
      100,
    );
    const promotedMs = Date.now() - killedAt;
    const settled = await Promise.race([burst.done.then(() => 'all acknowledged' as const), sleep(180_000).then(() => 'timed out' as const)]);
    const allAckedMs = Date.now() - killedAt;
    await Promise.all(devices.map((device) => device.endAsync(true)));

    const counted = await tally(prisma, logins, burst, killedAt, 180_000);
    // New cars: scored means scored after their telemetry. The reconciler (every 60 s) covers jobs lost with the master.
    const scored = () => prisma.vehicle.count({ where: { id: { in: ids }, lastScoredAt: { not: null } } });
    const scoredCars = await waitFor(scored, (count) => count === CARS, 240_000, 1_000);
    const scoredMs = Date.now() - killedAt;
    console.log(
      `[redis-master-kill] master ${String(owner.master)} (scoring queue) SIGKILLed at ${String(ackedAtKill)} of ${String(CARS * PER_CAR)} acknowledged; ` +
        `replica ${String(replica)} ${promoted ? `master with cluster_state ok ${String(promotedMs)} ms` : 'NOT promoted within 60 s'} after the kill; ` +
        `${settled} ${String(allAckedMs)} ms after the kill (${String(counted.total)} acknowledged); every acknowledged sample stored ` +
        `${String(counted.storedMs)} ms after the kill; stored ${String(counted.rows)} rows, lost ${String(counted.lost)}, ` +
        `duplicated ${String(counted.duplicated)}; cars scored ${String(scoredCars)} of ${String(CARS)}, the last ${String(scoredMs)} ms after the kill (load ${load()})`,
    );
    expect(promoted).toBe(true);
    expect(settled).toBe('all acknowledged');
    expect(counted.total).toBe(CARS * PER_CAR);
    expect(counted.lost).toBe(0);
    expect(counted.duplicated).toBe(0);
    expect(scoredCars).toBe(CARS);

    await fixture.stop();
  }, 720_000);
});
