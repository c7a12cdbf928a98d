import { DatabasePool, PrismaService, TelemetryBatchWriter, type VehicleSample } from '#app/database';
import { loadApiConfig } from '#app/config';
import { createFleet } from '../support/fixtures.js';
import { testEnv } from '../support/test-env.js';

const CARS = 40;
const ROUNDS = 10;
const DEADLOCK = '40P01';

/**
 * Two ingestion replicas (a `$share` group hands a car's messages to either) commit batches that name the same
 * cars in different orders, each batch updating those cars' rows (version, newest sample, clock offset). Each
 * batch must take the cars' row locks in one order, or two of them wait on each other and Postgres aborts one
 * (seen in a fault test's log: two replicas' clock-offset updates deadlocked). The writer retries an aborted
 * batch, so nothing is lost either way; here no batch may be aborted, and every sample is stored once.
 */
describe(`${TelemetryBatchWriter.name}: concurrent batches over the same cars`, () => {
  const prisma = new PrismaService(loadApiConfig());
  const pools = [new DatabasePool(testEnv.databaseUrl, 1, () => undefined), new DatabasePool(testEnv.databaseUrl, 1, () => undefined)];
  const writers = pools.map((pool) => new TelemetryBatchWriter(pool));

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await prisma.$disconnect();
  });

  it('takes the cars row locks in one order: no batch is aborted as a deadlock victim, every sample stored once', async () => {
    const ids = (await createFleet(prisma, CARS)).vehicles.map((vehicle) => vehicle.id);
    const base = Date.now() - 60_000;
    const deadlocks: string[] = [];
    let sent = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      // A batch the first replica stored before it died: the other two receive it again (a redelivery).
      const redelivered = ids.map((vehicleId) => ({
        vehicleId,
        sample: { seq: round * 3 + 1, ts: new Date(base + round * 1_000), coolantTempC: 90 },
      }));
      await writers[0].write(redelivered, []);
      sent += redelivered.length;
      // Each replica has new samples of its half of the cars and the redelivered ones of the other half, and a clock
      // offset for every car; replica 0 names the cars first to last, replica 1 last to first.
      const batches = writers.map((_writer, replica) => {
        const order = replica === 0 ? ids : [...ids].reverse();
        const samples: VehicleSample[] = order.map((vehicleId, index) =>
          index < CARS / 2
            ? { vehicleId, sample: { seq: round * 3 + 2 + replica, ts: new Date(base + round * 1_000 + 1 + replica), coolantTempC: 90 } }
            : (redelivered.find((row) => row.vehicleId === vehicleId) ?? redelivered[0]),
        );
        const offsets = order.map((vehicleId) => ({ vehicleId, offsetMs: 1_000 * (round + 1) + replica }));
        return { samples, offsets };
      });
      sent += CARS;
      const outcomes = await Promise.allSettled(
        writers.map((writer, replica) => writer.write(batches[replica].samples, [], batches[replica].offsets)),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'fulfilled') continue;
        const code = (outcome.reason as { code?: unknown }).code;
        if (code !== DEADLOCK) throw outcome.reason;
        deadlocks.push(`round ${String(round)}`);
      }
    }
    const [stored] = await prisma.$queryRaw<{ rows: bigint; distinct: bigint }[]>`
      SELECT count(*) AS rows, count(DISTINCT ("vehicleId", seq)) AS distinct FROM telemetry_samples WHERE "vehicleId" = ANY(${ids}::uuid[])`;
    console.log(
      `${String(ROUNDS)} rounds of 2 concurrent batches over ${String(CARS)} cars in opposite orders: ${String(deadlocks.length)} aborted as deadlock victims; ${String(stored.rows)} of ${String(sent)} samples stored, ${String(stored.rows - stored.distinct)} twice`,
    );
    expect(deadlocks).toEqual([]);
    expect(Number(stored.rows)).toBe(sent);
    expect(stored.distinct).toBe(stored.rows);
  });
});
