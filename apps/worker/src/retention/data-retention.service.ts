import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type WorkerConfig } from '#app/config';
import type { JobOutcome } from '#app/queue';
import { DEFAULT_CONTRACT_LIMITS } from '#app/telemetry';
import { partitionsPastRetention, retentionCutoffs } from './retention.policy.js';
import { type DayPartitionedTable, RetentionRepository } from './retention.repository.js';

/** Small deletes, each its own short transaction: ingestion keeps writing to the same tables meanwhile. */
const BATCH = 5_000;
/** One sweep stops after this long and leaves the rest to the next: a backlog never holds a worker slot for long. */
const TIME_BUDGET_MS = 20_000;
/**
 * Day partitions kept ready ahead of today. The sweep runs hourly, so a worker fleet down for up to a week
 * costs nothing; past that, new rows wait in the default partition (stored, not refused) until the next sweep.
 */
export const PARTITIONS_AHEAD_DAYS = 7;

export interface RetentionSweepCounts {
  /** Day partitions of telemetry_samples dropped whole. */
  telemetryPartitions: number;
  /** Samples deleted row by row: those past retention in the default partition. */
  telemetrySamples: number;
  deviceTirePartitions: number;
  deviceTireReadings: number;
  rejectedMessages: number;
  /** Day partitions created (ahead of today, or for rows stranded in a default partition). */
  partitionsCreated: number;
  /** Partition drops and creations left to the next sweep: the table stayed locked by others (RetentionRepository). */
  partitionChangesPostponed: number;
  /** Stopped by the time budget with rows still to delete. */
  unfinished: boolean;
}

/**
 * Removes raw telemetry, device tyre readings and rejected messages past their retention, and keeps the day
 * partitions of the coming week ready. Telemetry goes a whole day at a time (detach + drop of a day
 * partition once all of its day is past retention); rejected messages, an unpartitioned table, in batches.
 * Predictions, their history, inspections and service records are the vehicle's record and are kept.
 * Idempotent: a sweep that dies halfway loses nothing that should have been kept, and the next one goes on.
 */
@Injectable()
export class DataRetentionService {
  constructor(
    private readonly repository: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: WorkerConfig,
  ) {}

  async sweep(now: Date = new Date()): Promise<{ outcome: JobOutcome; counts: RetentionSweepCounts }> {
    const cutoffs = retentionCutoffs(now, this.config.retention, DEFAULT_CONTRACT_LIMITS.maxAgeMs);
    const deadline = performance.now() + TIME_BUDGET_MS;
    const overBudget = (): boolean => performance.now() > deadline;
    const counts: RetentionSweepCounts = {
      telemetryPartitions: 0,
      telemetrySamples: 0,
      deviceTirePartitions: 0,
      deviceTireReadings: 0,
      rejectedMessages: 0,
      partitionsCreated: 0,
      partitionChangesPostponed: 0,
      unfinished: false,
    };
    const expire = async (table: DayPartitionedTable): Promise<{ partitions: number; rows: number }> => {
      let partitions = 0;
      for (const partition of partitionsPastRetention(await this.repository.dayPartitions(table), cutoffs.telemetryBefore)) {
        if (overBudget()) {
          counts.unfinished = true;
          return { partitions, rows: 0 };
        }
        if (await this.repository.dropPartition(table, partition)) partitions += 1;
        else counts.partitionChangesPostponed += 1;
      }
      return { partitions, rows: await this.repository.deleteFromDefault(table, cutoffs.telemetryBefore) };
    };
    const samples = await expire('telemetry_samples');
    const tires = await expire('tire_readings_device');
    counts.telemetryPartitions = samples.partitions;
    counts.telemetrySamples = samples.rows;
    counts.deviceTirePartitions = tires.partitions;
    counts.deviceTireReadings = tires.rows;
    for (;;) {
      if (overBudget()) {
        counts.unfinished = true;
        break;
      }
      const deleted = await this.repository.deleteRejectedMessages(cutoffs.rejectedBefore, BATCH);
      counts.rejectedMessages += deleted;
      if (deleted < BATCH) break;
    }
    // After the drops: a row past retention stranded in a default partition is deleted, not given a partition.
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    for (const table of ['telemetry_samples', 'tire_readings_device'] as const) {
      const { created, busy } = await this.repository.createPartitions(table, today, PARTITIONS_AHEAD_DAYS);
      counts.partitionsCreated += created;
      counts.partitionChangesPostponed += busy;
    }
    const detail =
      `dropped ${counts.telemetryPartitions} sample and ${counts.deviceTirePartitions} device tyre day partitions, deleted ` +
      `${counts.telemetrySamples} samples and ${counts.deviceTireReadings} device tyre readings (from default partitions) measured before ` +
      `${cutoffs.telemetryBefore.toISOString()}, ${counts.rejectedMessages} rejected messages received before ` +
      `${cutoffs.rejectedBefore.toISOString()}; created ${counts.partitionsCreated} day partitions` +
      (counts.partitionChangesPostponed > 0 ? `; ${counts.partitionChangesPostponed} partition changes postponed (table busy)` : '') +
      (counts.unfinished ? '; the rest next time' : '');
    return { outcome: { status: 'done', detail }, counts };
  }
}
