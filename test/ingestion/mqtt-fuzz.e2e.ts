import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { createPrismaClient, type PrismaClient } from '#app/database';
import { createFleet, type FleetFixture, randomVin, sampleFor } from '../support/fixtures.js';
import { IngestionProcess } from '../support/ingestion-process.js';
import { discardSession, TelemetryPublisher, waitFor } from '../support/telemetry-publisher.js';
import { testEnv } from '../support/test-env.js';

const SEED = 20261206;
const MESSAGES = 1_500;

interface FuzzMessage {
  vin: string;
  payload: Buffer;
  /** The seqs of the well-formed samples in it (they must be stored); empty for pure noise. */
  goodSeqs: number[];
  /** Whether any part of it can be refused (then its rejection must be on record). */
  mayBeRefused: boolean;
}

/** The pipeline's own message identity (telemetry-ingest.pipeline.ts): a rejection row carries it. */
const hashOf = (topic: string, payload: Buffer): string => createHash('sha256').update(topic).update('\u0000').update(payload).digest('hex');

/**
 * Well-formed samples, noise and near-misses mixed on the broker, from a fixed seed: the ground truth is that
 * every well-formed sample is stored once, and every message is accounted for (stored, or its rejection
 * recorded with a reason): nothing is silently dropped, and ingestion never stops.
 */
function fuzzMessages(fleet: FleetFixture): FuzzMessage[] {
  const vins = fleet.vehicles.map((v) => v.vin);
  let seq = 1_000_000;
  const good = fc.constantFrom(...vins).map((vin): FuzzMessage => {
    seq += 1;
    return { vin, payload: Buffer.from(JSON.stringify(sampleFor(seq, new Date(Date.now() - 60_000)))), goodSeqs: [seq], mayBeRefused: false };
  });
  const noise = fc
    .tuple(
      fc.constantFrom(...vins),
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
        fc.string({ unit: 'binary' }).map((s) => Buffer.from(s)),
      ),
    )
    .map(([vin, payload]): FuzzMessage => ({ vin, payload, goodSeqs: [], mayBeRefused: true }));
  const wrongObject = fc
    .tuple(fc.constantFrom(...vins), fc.jsonValue())
    .map(([vin, value]): FuzzMessage => ({ vin, payload: Buffer.from(JSON.stringify(value) ?? 'null'), goodSeqs: [], mayBeRefused: true }));
  // A real sample with one field replaced by anything: stored when the value happens to be valid, refused otherwise.
  const nearMiss = fc
    .tuple(
      fc.constantFrom(...vins),
      fc.constantFrom('ts', 'coolantTempC', 'speedKph', 'odometerKm', 'tires', 'dtcs', 'batteryV', 'rpm'),
      fc.jsonValue(),
    )
    .map(([vin, field, value]): FuzzMessage => {
      seq += 1;
      const sample: Record<string, unknown> = { ...sampleFor(seq, new Date(Date.now() - 60_000)), [field]: value };
      return { vin, payload: Buffer.from(JSON.stringify(sample)), goodSeqs: [], mayBeRefused: true };
    });
  const unknownVin = fc.constant(null).map((): FuzzMessage => {
    seq += 1;
    return { vin: randomVin(), payload: Buffer.from(JSON.stringify(sampleFor(seq))), goodSeqs: [], mayBeRefused: true };
  });
  const arbitrary = fc.oneof({ arbitrary: good, weight: 4 }, noise, wrongObject, { arbitrary: nearMiss, weight: 2 }, unknownVin);
  return fc.sample(arbitrary, { seed: SEED, numRuns: MESSAGES });
}

describe('MQTT fuzzing with a ground truth', () => {
  let prisma: PrismaClient;

  beforeAll(() => {
    prisma = createPrismaClient(testEnv.databaseUrl, 4);
  });

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it(`seed ${SEED}: ${MESSAGES} messages, every good sample stored once, every message accounted for, ingestion never stops`, async () => {
    const tag = randomUUID().slice(0, 8);
    const fleet = await createFleet(prisma, 5);
    const ingestion = new IngestionProcess({
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: testEnv.redisUrl,
      MQTT_URL: testEnv.mqttUrl,
      MQTT_SHARE_GROUP: `fuzz-${tag}`,
      INGEST_CLIENT_ID: `ingest-fuzz-${tag}`,
      QUEUE_PREFIX: `test-fuzz-${tag}`,
    });
    await ingestion.start();
    const pid = ingestion.pid;
    const publisher = await TelemetryPublisher.connect(testEnv.mqttUrl, `fuzz-car-${tag}`);
    try {
      const messages = fuzzMessages(fleet);
      await publisher.publishAll(messages.map((m) => ({ vin: m.vin, payload: m.payload })));
      const goodSeqs = messages.flatMap((m) => m.goodSeqs);
      const ids = fleet.vehicles.map((v) => v.id);
      const storedSeqs = async (): Promise<Set<number>> =>
        new Set((await prisma.telemetrySample.findMany({ where: { vehicleId: { in: ids } }, select: { seq: true } })).map((r) => Number(r.seq)));
      const recordedHashes = async (): Promise<Set<string>> =>
        new Set(
          (
            await prisma.rejectedMessage.findMany({
              where: { messageHash: { in: messages.map((m) => hashOf(`vehicles/${m.vin}/telemetry`, m.payload)) } },
              select: { messageHash: true },
            })
          ).map((r) => r.messageHash),
        );
      const nearMissSeqs = (m: FuzzMessage): number | undefined => {
        try {
          const parsed = JSON.parse(m.payload.toString('utf8')) as { seq?: unknown };
          return typeof parsed.seq === 'number' ? parsed.seq : undefined;
        } catch {
          return undefined;
        }
      };
      const account = async () => {
        const [stored, hashes] = await Promise.all([storedSeqs(), recordedHashes()]);
        const unaccounted = messages.filter(
          (m) =>
            !m.goodSeqs.every((s) => stored.has(s)) ||
            (m.goodSeqs.length === 0 && !hashes.has(hashOf(`vehicles/${m.vin}/telemetry`, m.payload)) && !stored.has(nearMissSeqs(m) ?? -1)),
        );
        return { stored, hashes, unaccounted };
      };
      const result = await waitFor(account, (r) => r.unaccounted.length === 0, 60_000, 250);
      const rows = await prisma.telemetrySample.count({ where: { vehicleId: { in: ids } } });
      const refused = messages.filter((m) => m.mayBeRefused && result.hashes.has(hashOf(`vehicles/${m.vin}/telemetry`, m.payload))).length;
      console.log(
        `[mqtt-fuzz] seed ${SEED}: sent ${messages.length} (${goodSeqs.length} well-formed samples), stored rows ${rows}, ` +
          `refused with a reason ${refused}, fuzzed but valid and stored ${messages.filter((m) => m.mayBeRefused && !result.hashes.has(hashOf(`vehicles/${m.vin}/telemetry`, m.payload))).length}, ` +
          `unaccounted ${result.unaccounted.length}, ingestion restarted ${ingestion.pid !== pid || !ingestion.running ? 'yes' : 'no'}`,
      );
      expect(result.unaccounted).toEqual([]);
      expect(goodSeqs.every((s) => result.stored.has(s))).toBe(true);
      expect(rows).toBe(result.stored.size); // nothing twice
      expect(refused).toBeGreaterThan(0);
      expect(ingestion.running).toBe(true);
      expect(ingestion.pid).toBe(pid);
    } finally {
      await publisher.close();
      await ingestion.stop('SIGTERM', 20_000);
      for (const index of [0, 1]) await discardSession(testEnv.mqttUrl, `ingest-fuzz-${tag}-${index}`);
    }
  }, 120_000);
});
