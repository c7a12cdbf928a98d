import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { createFleet, sampleFor } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { ingestionPairEnv, readReadiness, useIngestionPair } from './support/ingestion-pair.js';
import { sleep } from './support/telemetry-stream.js';

const MESSAGES = 2_000;
const SAMPLES_PER_MESSAGE = 100;

/**
 * Ingestion back after a while away: the broker kept its persistent session and queued what the cars sent
 * meanwhile (here 200,000 samples). Mosquitto writes that backlog right after CONNACK, before it reads the
 * SUBSCRIBE ingestion sends on every connect, so the SUBACK arrives only after the backlog was read. Catching
 * up is telemetry reaching storage: readiness must say ready all along, not "unsubscribed" (a CI smoke run
 * failed on exactly that, `npm start` after a test had left a backlog).
 */
describe('ingestion catching up on its session backlog', () => {
  const pair = useIngestionPair();

  it('is ready on /health/ready while the backlog drains, and stores all of it', async () => {
    const tag = randomUUID().slice(0, 8);
    const { prisma } = pair;
    const fleet = await createFleet(prisma, 5);
    const broker = await pair.startBroker({ autosaveSeconds: 30 });
    const clientId = `ingest-backlog-${tag}`;

    // The session ingestion left behind (MQTT 5, kept a week, the telemetry subscription), then the backlog.
    const session = await mqtt.connectAsync(broker.url, {
      clientId: `${clientId}-0`,
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 3_600 },
    });
    await session.subscribeAsync('vehicles/+/telemetry', { qos: 1 });
    await session.endAsync();
    const car = await mqtt.connectAsync(broker.url, { clientId: `car-backlog-${tag}`, clean: true, protocolVersion: 4 });
    const firstAt = Date.now() - 3 * 24 * 3_600_000;
    const sends: Promise<unknown>[] = [];
    for (let m = 0; m < MESSAGES; m += 1) {
      const vehicle = fleet.vehicles[m % fleet.vehicles.length]!;
      const round = Math.floor(m / fleet.vehicles.length);
      const samples = Array.from({ length: SAMPLES_PER_MESSAGE }, (_, i) => {
        const seq = round * SAMPLES_PER_MESSAGE + i + 1;
        return sampleFor(seq, new Date(firstAt + seq * 1_000));
      });
      sends.push(car.publishAsync(`vehicles/${vehicle.vin}/telemetry`, JSON.stringify({ samples }), { qos: 1 }));
    }
    await Promise.all(sends);
    await car.endAsync();
    const total = MESSAGES * SAMPLES_PER_MESSAGE;

    const port = await freePort();
    const env = ingestionPairEnv({
      brokerUrl: broker.url,
      clientId,
      queuePrefix: `test-backlog-${tag}`,
      port,
      extra: { INGEST_STATUS_INTERVAL_MS: '250' },
    });
    const api = pair.app('api', env);
    const ingestion = pair.app('ingestion', env);
    await api.start();
    await ingestion.start();

    const stored = async (): Promise<number> => {
      const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM telemetry_samples WHERE "vehicleId" = ANY(${fleet.vehicles.map((v) => v.id)}::uuid[])`;
      return Number(row!.n);
    };
    const verdicts: { stored: number; status: string; states: string[] }[] = [];
    const deadline = Date.now() + 120_000;
    let count = 0;
    while (count < total && Date.now() < deadline) {
      const readiness = await readReadiness(port);
      count = await stored();
      verdicts.push({
        stored: count,
        status: readiness.checks.ingestion.status,
        states: readiness.checks.ingestion.replicas.map((r) => `${r.state}${r.detail ? `: ${r.detail}` : ''}`),
      });
      await sleep(100);
    }
    const judgedDuringBacklog = verdicts.filter((v) => v.stored < total && v.status !== 'unknown');
    const down = verdicts.filter((v) => v.status === 'down');
    console.log(
      `backlog of ${total} samples stored: ${count}; ${verdicts.length} readiness checks, ` +
        `${judgedDuringBacklog.length} with a replica report while it drained, ${down.length} down` +
        (down.length > 0 ? ` (first: ${down[0]!.states.join('; ')} at ${down[0]!.stored} stored)` : ''),
    );
    expect(count).toBe(total);
    expect(judgedDuringBacklog.length).toBeGreaterThanOrEqual(3);
    expect(down).toEqual([]);
  }, 180_000);
});
