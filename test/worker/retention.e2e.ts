import { randomUUID } from 'node:crypto';
import { loadWorkerConfig } from '#app/config';
import { PrismaService } from '#app/database';
import { parseTelemetryMessage } from '#app/telemetry';
import { DataRetentionService } from '../../apps/worker/src/retention/data-retention.service.js';
import { RetentionRepository } from '../../apps/worker/src/retention/retention.repository.js';
import { createFleet } from '../support/fixtures.js';

const DAY_MS = 86_400_000;

/** The retention sweep against real Postgres: what is past retention goes, the vehicle's record stays. */
describe(DataRetentionService.name, () => {
  const config = loadWorkerConfig();
  const prisma = new PrismaService(config);
  const repository = new RetentionRepository(prisma);
  const sut = new DataRetentionService(repository, config);

  afterAll(async () => {
    await prisma.$disconnect();
  });

  it('deletes raw telemetry, device tyre readings and rejected messages past retention, and keeps the rest', async () => {
    const fleet = await createFleet(prisma, 1);
    const vehicle = fleet.vehicles[0]!;
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
    // 400 days of telemetry retention and 90 of rejected messages are the defaults.
    await prisma.telemetrySample.createMany({
      data: [500, 401, 399, 30, 1].map((age, i) => ({ vehicleId: vehicle.id, seq: BigInt(i + 1), ts: daysAgo(age), coolantTempC: 90 })),
    });
    const inspectionId = randomUUID();
    await prisma.tireReading.createMany({
      data: [
        { vehicleId: vehicle.id, position: 'FL', ts: daysAgo(450), source: 'DEVICE', sampleSeq: 1n, pressureKpa: 230 },
        { vehicleId: vehicle.id, position: 'FL', ts: daysAgo(10), source: 'DEVICE', sampleSeq: 5n, pressureKpa: 228 },
        // An inspection is the vehicle's record (tread history for years): never swept.
        { vehicleId: vehicle.id, position: 'FL', ts: daysAgo(700), source: 'INSPECTION', inspectionId, treadMm: 8 },
      ],
    });
    await prisma.rejectedMessage.createMany({
      data: [120, 91, 89].map((age) => ({
        receivedAt: daysAgo(age),
        topic: `vehicles/${vehicle.vin}/telemetry`,
        vin: vehicle.vin,
        vehicleId: vehicle.id,
        reason: 'MALFORMED_JSON',
        detail: 'test',
        payloadBytes: 1,
        payloadExcerpt: '{',
        messageHash: randomUUID(),
      })),
    });

    const first = await sut.sweep(now);
    const second = await sut.sweep(now);

    const remaining = {
      samples: (await prisma.telemetrySample.findMany({ where: { vehicleId: vehicle.id }, orderBy: { seq: 'asc' } })).map((s) => Number(s.seq)),
      tires: (await prisma.tireReading.findMany({ where: { vehicleId: vehicle.id }, orderBy: { ts: 'asc' } })).map((t) => t.source),
      rejected: await prisma.rejectedMessage.count({ where: { vehicleId: vehicle.id } }),
    };
    console.log(`retention sweep: ${first.outcome.status === 'done' ? first.outcome.detail : ''}; then ${JSON.stringify(second.counts)}`);
    expect(remaining).toEqual({ samples: [3, 4, 5], tires: ['INSPECTION', 'DEVICE'], rejected: 1 });
    expect(first.counts.telemetrySamples).toBeGreaterThanOrEqual(2);
    expect(first.counts.unfinished).toBe(false);
    // Nothing of this vehicle is left to delete (others' old rows, if any, went in the first sweep too).
    expect(second.counts).toEqual({
      telemetryPartitions: 0,
      telemetrySamples: 0,
      deviceTirePartitions: 0,
      deviceTireReadings: 0,
      rejectedMessages: 0,
      partitionsCreated: 0,
      partitionChangesPostponed: 0,
      unfinished: false,
    });
  });

  it('drops whole day partitions once their day is past retention, and creates the coming week ahead', async () => {
    const fleet = await createFleet(prisma, 1);
    const vehicle = fleet.vehicles[0]!;
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const dayName = (table: string, at: Date) => `${table}_p${at.toISOString().slice(0, 10).replaceAll('-', '')}`;
    await prisma.telemetrySample.createMany({
      data: [405, 402, 398].map((age, i) => ({ vehicleId: vehicle.id, seq: BigInt(i + 1), ts: daysAgo(age), coolantTempC: 90 })),
    });
    await prisma.tireReading.createMany({
      data: [405, 398].map((age, i) => ({
        vehicleId: vehicle.id,
        position: 'FL' as const,
        ts: daysAgo(age),
        source: 'DEVICE' as const,
        sampleSeq: BigInt(i + 1),
        pressureKpa: 230,
      })),
    });
    // Ten days earlier nothing of this was past retention: that sweep gives the rows' days partitions of their own.
    const earlier = await sut.sweep(new Date(now.getTime() - 10 * DAY_MS));
    const partitionsBefore = (await repository.dayPartitions('telemetry_samples')).map((p) => p.name);
    const devicePartitionsBefore = (await repository.dayPartitions('tire_readings_device')).map((p) => p.name);

    const sweep = await sut.sweep(now);

    const partitionsAfter = (await repository.dayPartitions('telemetry_samples')).map((p) => p.name);
    const devicePartitionsAfter = (await repository.dayPartitions('tire_readings_device')).map((p) => p.name);
    const inDefault = await prisma.$queryRaw<
      { n: bigint }[]
    >`SELECT count(*) AS n FROM telemetry_samples_default WHERE "vehicleId" = ${vehicle.id}::uuid`;
    const remaining = (await prisma.telemetrySample.findMany({ where: { vehicleId: vehicle.id }, orderBy: { seq: 'asc' } })).map((s) =>
      Number(s.seq),
    );
    const remainingTires = (await prisma.tireReading.findMany({ where: { vehicleId: vehicle.id } })).map((t) => Number(t.sampleSeq));
    console.log(`partitioned retention: ${earlier.counts.partitionsCreated} created earlier; then ${JSON.stringify(sweep.counts)}`);

    expect(earlier.counts.partitionsCreated).toBeGreaterThanOrEqual(3);
    expect(partitionsBefore).toEqual(expect.arrayContaining([405, 402, 398].map((age) => dayName('telemetry_samples', daysAgo(age)))));
    expect(devicePartitionsBefore).toEqual(expect.arrayContaining([405, 398].map((age) => dayName('tire_readings_device', daysAgo(age)))));
    expect(inDefault[0]!.n).toBe(0n);
    expect(partitionsAfter).not.toContain(dayName('telemetry_samples', daysAgo(405)));
    expect(partitionsAfter).not.toContain(dayName('telemetry_samples', daysAgo(402)));
    expect(partitionsAfter).toContain(dayName('telemetry_samples', daysAgo(398)));
    expect(devicePartitionsAfter).not.toContain(dayName('tire_readings_device', daysAgo(405)));
    expect(sweep.counts.telemetryPartitions).toBeGreaterThanOrEqual(2);
    expect(sweep.counts.deviceTirePartitions).toBeGreaterThanOrEqual(1);
    expect(remaining).toEqual([3]);
    expect(remainingTires).toEqual([2]);
    // Today and the coming week are ready, whatever day the suite runs on.
    for (let ahead = 0; ahead <= 7; ahead += 1) {
      expect(partitionsAfter).toContain(dayName('telemetry_samples', new Date(now.getTime() + ahead * DAY_MS)));
      expect(devicePartitionsAfter).toContain(dayName('tire_readings_device', new Date(now.getTime() + ahead * DAY_MS)));
    }
  });

  it('leaves nothing a device could resend: a deleted sample is too old to be accepted again', () => {
    const deletedTs = new Date(Date.now() - 401 * DAY_MS).toISOString();
    const resend = parseTelemetryMessage('vehicles/LCHDEM00000000001/telemetry', Buffer.from(JSON.stringify({ ts: deletedTs, seq: 2 })), new Date());

    expect(resend.ok).toBe(false);
    expect(resend.ok ? undefined : resend.rejection.reason).toBe('CLOCK_TOO_OLD');
  });
});
