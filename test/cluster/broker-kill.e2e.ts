import { readFileSync } from 'node:fs';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NATS_PLATFORM_USER } from '#app/broker-auth';
import { waitFor } from '../support/telemetry-publisher.js';
import { connectDevices, load, provisionDevices, startBurst, sleep, tally } from './device-burst.js';
import { clusterForFile } from './cluster-fixture.js';

const CARS = 30;
const PER_CAR = 100;

/**
 * Issue 13 item 5, first fault: on the topology `npm run cluster` starts (3 NATS nodes, 3 ingestion replicas on one
 * durable consumer, the Redis Cluster, 2 workers, 2 APIs), the node leading `$MQTT_msgs` is SIGKILLed during a burst of
 * QoS 1 telemetry from cars logged in as devices spread over the 3 nodes. Counted: acknowledged samples not stored
 * (lost) and rows stored twice (duplicated), how long until every publish was acknowledged and the node, started again by
 * the script, answered MQTT and was listed up by the APIs.
 */
describe('npm run cluster: a broker node SIGKILLed during a burst', () => {
  const fixture = clusterForFile('broker-kill');

  it('loses no acknowledged sample and stores none twice; the node rejoins and every API lists it up again', async () => {
    const { cluster, prisma } = fixture;
    const logins = await provisionDevices(prisma, cluster, CARS, 'cluster-kill');

    // The node every QoS 1 publish waits for: the leader of the listener's stream.
    const connection = await connect({ servers: cluster.natsServers().split(','), user: NATS_PLATFORM_USER, pass: cluster.platformPassword() });
    const manager = await jetstreamManager(connection, { timeout: 20_000 });
    const leaderName = (await manager.streams.info('$MQTT_msgs')).cluster?.leader ?? '';
    await connection.close();
    const victim = [0, 1, 2].find((node) => `n${String(cluster.natsBase + node)}` === leaderName);
    if (victim === undefined) throw new Error(`no node leads $MQTT_msgs (${leaderName})`);

    const devices = await connectDevices(cluster, logins);
    const burst = startBurst(devices, logins, PER_CAR);
    await waitFor(
      async () => burst.acks(),
      (count) => count >= (CARS * PER_CAR) / 3,
      120_000,
      20,
    );
    const ackedAtKill = burst.acks();
    const pid = Number(readFileSync(cluster.natsPidFile(victim), 'utf8').trim());
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    const settled = await Promise.race([burst.done.then(() => 'all acknowledged' as const), sleep(180_000).then(() => 'timed out' as const)]);
    const allAckedMs = Date.now() - killedAt;
    await Promise.all(devices.map((device) => device.endAsync(true)));

    // The node started again by the script rejoins by itself; the APIs list it up again.
    const restarted = Date.now();
    await cluster.natsScript('start');
    const apisSeeIt = await waitFor(
      async () => {
        const reports = await Promise.all(
          cluster.apiPorts.map((port) =>
            fetch(`http://127.0.0.1:${String(port)}/health/ready`, { signal: AbortSignal.timeout(10_000) })
              .then((response) => response.json() as Promise<{ checks: { mqtt: { nodes?: { status: string }[] } } }>)
              .catch(() => null),
          ),
        );
        return reports.every((report) => report?.checks.mqtt.nodes?.every((node) => node.status === 'up') === true);
      },
      (up) => up,
      90_000,
      500,
    );
    const rejoinedMs = Date.now() - restarted;

    const { total, rows, lost, duplicated } = await tally(prisma, logins, burst, restarted, 120_000);
    console.log(
      `[broker-kill] node ${String(victim + 1)} (leader of $MQTT_msgs) SIGKILLed at ${String(ackedAtKill)} of ${String(CARS * PER_CAR)} acknowledged; ` +
        `${settled} ${String(allAckedMs)} ms after the kill (${String(total)} acknowledged); stored ${String(rows)} rows, ` +
        `lost ${String(lost)}, duplicated ${String(duplicated)}; node restarted and listed up by both APIs after ${String(rejoinedMs)} ms (load ${load()})`,
    );
    expect(settled).toBe('all acknowledged');
    expect(total).toBe(CARS * PER_CAR);
    expect(lost).toBe(0);
    expect(duplicated).toBe(0);
    expect(apisSeeIt).toBe(true);

    await fixture.stop();
  }, 600_000);
});
