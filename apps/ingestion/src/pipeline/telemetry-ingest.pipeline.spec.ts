import { jest } from '@jest/globals';
import type { BatchWriteResult, RejectionRecord, TelemetryBatchWriter, VehicleDirectory, VehicleSample } from '#app/database';
import type { IngestCounters } from './inbound-message.js';
import { TelemetryIngestPipeline } from './telemetry-ingest.pipeline.js';

const VIN = 'LCHDEM00000000001';
const POISON_SEQ = 666;

/** A writer that records commits and refuses, like Postgres would, any batch holding the poison sample. */
class FakeWriter {
  readonly committed: { samples: VehicleSample[]; rejections: RejectionRecord[] }[] = [];
  unavailableFor = 0;

  async write(samples: VehicleSample[], rejections: RejectionRecord[]): Promise<BatchWriteResult> {
    if (this.unavailableFor > 0) {
      this.unavailableFor -= 1;
      throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    }
    if (samples.some((row) => row.sample.seq === POISON_SEQ)) {
      throw Object.assign(new Error('value out of range for type'), { code: '22003' });
    }
    this.committed.push({ samples, rejections });
    return {
      stored: samples.length,
      duplicates: 0,
      rejectionsStored: rejections.length,
      touchedVehicleIds: ['vehicle-1'],
      neverScoredVehicleIds: [],
    };
  }
}

const directory = {
  resolve: async (vins: Iterable<string>) => new Map([...vins].map((vin) => [vin, { vehicleId: 'vehicle-1', serviceCenterId: 'center-1' }])),
} as unknown as VehicleDirectory;

const counters: IngestCounters = { received: () => {}, stored: () => {}, duplicates: () => {}, rejected: () => {}, batch: () => {} };

function message(seq: number, acked: number[]) {
  return {
    topic: `vehicles/${VIN}/telemetry`,
    payload: Buffer.from(JSON.stringify({ ts: new Date().toISOString(), seq, speedKph: 50 })),
    receivedAt: new Date(),
    ack: () => acked.push(seq),
  };
}

function createSut(writer: FakeWriter) {
  const logger = { warn: () => {}, error: () => {} };
  return new TelemetryIngestPipeline(
    writer as unknown as TelemetryBatchWriter,
    directory,
    { requestEach: async () => {}, requestEachSoon: async () => {} },
    counters,
    logger,
    {
      batchMax: 1000,
      flushMs: 5,
      scoreDebounceMs: 1000,
      scoreIntervalMs: 60_000,
      scorePromptGapMs: 60_000,
    },
  );
}

describe(TelemetryIngestPipeline.name, () => {
  it('isolates a sample the database refuses: the good ones around it are stored, the bad one recorded, all acknowledged', async () => {
    const writer = new FakeWriter();
    const sut = createSut(writer);
    const acked: number[] = [];
    for (const seq of [1, 2, 3, POISON_SEQ, 4, 5, 6, 7]) sut.accept(message(seq, acked));

    await sut.drain(5000);

    const stored = writer.committed.flatMap((c) => c.samples.map((s) => s.sample.seq)).sort((a, b) => a - b);
    const rejected = writer.committed.flatMap((c) => c.rejections);
    expect(stored).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ reason: 'STORAGE_REFUSED', vin: VIN, vehicleId: 'vehicle-1' });
    expect(rejected[0]!.detail).toMatch(/out of range/);
    expect(acked.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, POISON_SEQ]);
  });

  it('waits for an unavailable database instead of rejecting the data, and acknowledges only after the commit', async () => {
    const writer = new FakeWriter();
    writer.unavailableFor = 2;
    const sut = createSut(writer);
    const acked: number[] = [];
    sut.accept(message(1, acked));
    sut.accept(message(2, acked));

    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acked).toEqual([]);
    await sut.drain(5000);

    expect(writer.committed.flatMap((c) => c.rejections)).toEqual([]);
    expect(writer.committed.flatMap((c) => c.samples.map((s) => s.sample.seq))).toEqual([1, 2]);
    expect(acked).toEqual([1, 2]);
  });

  it('stores every sample of a parked device whose clock is 2 h ahead: one message every 30 minutes, each past the 30 s hold', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T00:00:00.000Z') });
    try {
      const writer = new FakeWriter();
      const sut = createSut(writer);
      const acked: number[] = [];
      const takenAt: number[] = [];
      for (let seq = 1; seq <= 7; seq++) {
        // Taken 1.5 s before it arrives (latency), stamped by a clock 2 h fast.
        const taken = Date.now() - 1_500;
        takenAt.push(taken);
        const payload = Buffer.from(JSON.stringify({ ts: new Date(taken + 2 * 3_600_000).toISOString(), seq, batteryV: 12.6 }));
        sut.accept({ topic: `vehicles/${VIN}/telemetry`, payload, receivedAt: new Date(), ack: () => acked.push(seq) });
        await jest.advanceTimersByTimeAsync(30 * 60_000);
      }

      const stored = writer.committed.flatMap((c) => c.samples.map((s) => s.sample));
      expect(writer.committed.flatMap((c) => c.rejections)).toEqual([]);
      expect(stored.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      // Within the latency (1.5 s) and the whole-second rounding of the estimate; before the estimate
      // settles (5 messages) never before it was taken, as the provisional correction is a lower bound of the lead.
      const errors = stored.map((s, i) => s.ts.getTime() - (takenAt[i] ?? 0));
      expect(Math.max(...errors.map(Math.abs))).toBeLessThanOrEqual(2_000);
      expect(Math.min(...errors.slice(0, 4))).toBeGreaterThanOrEqual(0);
      expect(acked).toEqual([1, 2, 3, 4, 5, 6, 7]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes one sample 2 h ahead among good ones in a first message for a glitch: the good ones keep their times', async () => {
    jest.useFakeTimers({ now: new Date('2026-03-02T00:00:00.000Z') });
    try {
      const writer = new FakeWriter();
      const sut = createSut(writer);
      const now = Date.now();
      const samples = [1, 2, 3].map((seq) => ({ ts: new Date(now - (4 - seq) * 10_000 + (seq === 2 ? 2 * 3_600_000 : 0)).toISOString(), seq }));
      sut.accept({ topic: `vehicles/${VIN}/telemetry`, payload: Buffer.from(JSON.stringify({ samples })), receivedAt: new Date(), ack: () => {} });
      await jest.advanceTimersByTimeAsync(60_000);

      const stored = writer.committed.flatMap((c) => c.samples.map((s) => [s.sample.seq, s.sample.ts.getTime() - now]));
      expect(stored).toEqual([
        [1, -30_000],
        [3, -10_000],
      ]);
      expect(writer.committed.flatMap((c) => c.rejections)).toMatchObject([{ reason: 'CLOCK_IN_FUTURE', sampleIndex: 1 }]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives up draining after the timeout and leaves the messages unacknowledged for redelivery', async () => {
    const writer = new FakeWriter();
    writer.unavailableFor = Number.POSITIVE_INFINITY;
    const sut = createSut(writer);
    const acked: number[] = [];
    sut.accept(message(1, acked));

    const left = await sut.drain(300);

    expect(left).toBe(1);
    expect(writer.committed).toEqual([]);
    expect(acked).toEqual([]);
  });
});
