import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import { PrismaService } from '#app/database';
import type { JobOutcome } from '#app/queue';
import { DEFAULT_CONTRACT_LIMITS } from '#app/telemetry';
import { retentionCutoffs } from './retention.policy.js';

/** Small deletes, each its own short transaction: ingestion keeps writing to the same tables meanwhile. */
const BATCH = 5_000;
/** One sweep stops after this long and leaves the rest to the next: a backlog never holds a worker slot for long. */
const TIME_BUDGET_MS = 20_000;

export interface RetentionSweepCounts {
  telemetrySamples: number;
  deviceTireReadings: number;
  rejectedMessages: number;
  /** Stopped by the time budget with rows still to delete. */
  unfinished: boolean;
}

/**
 * Deletes raw telemetry, device tyre readings and rejected messages past their retention. Predictions,
 * their history, inspections and service records are the vehicle's record and are kept. Idempotent: a
 * sweep that dies halfway loses nothing that should have been kept, and the next one goes on.
 */
@Injectable()
export class DataRetentionService {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async sweep(now: Date = new Date()): Promise<{ outcome: JobOutcome; counts: RetentionSweepCounts }> {
    const cutoffs = retentionCutoffs(now, this.config.retention, DEFAULT_CONTRACT_LIMITS.maxAgeMs);
    const deadline = performance.now() + TIME_BUDGET_MS;
    const counts: RetentionSweepCounts = { telemetrySamples: 0, deviceTireReadings: 0, rejectedMessages: 0, unfinished: false };
    const drain = async (deleteBatch: () => Promise<number>): Promise<number> => {
      let total = 0;
      for (;;) {
        if (performance.now() > deadline) {
          counts.unfinished = true;
          return total;
        }
        const deleted = await deleteBatch();
        total += deleted;
        if (deleted < BATCH) return total;
      }
    };
    counts.telemetrySamples = await drain(
      () => this.prisma.$executeRaw`
        DELETE FROM telemetry_samples WHERE id IN (
          SELECT id FROM telemetry_samples WHERE ts < ${cutoffs.telemetryBefore} LIMIT ${BATCH})`,
    );
    counts.deviceTireReadings = await drain(
      () => this.prisma.$executeRaw`
        DELETE FROM tire_readings WHERE id IN (
          SELECT id FROM tire_readings WHERE source = 'DEVICE' AND ts < ${cutoffs.telemetryBefore} LIMIT ${BATCH})`,
    );
    counts.rejectedMessages = await drain(
      () => this.prisma.$executeRaw`
        DELETE FROM rejected_messages WHERE id IN (
          SELECT id FROM rejected_messages WHERE "receivedAt" < ${cutoffs.rejectedBefore} LIMIT ${BATCH})`,
    );
    const detail =
      `deleted ${counts.telemetrySamples} samples and ${counts.deviceTireReadings} device tyre readings measured before ` +
      `${cutoffs.telemetryBefore.toISOString()}, ${counts.rejectedMessages} rejected messages received before ` +
      `${cutoffs.rejectedBefore.toISOString()}${counts.unfinished ? '; the rest next time' : ''}`;
    return { outcome: { status: 'done', detail }, counts };
  }
}
