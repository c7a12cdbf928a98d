import { Injectable } from '@nestjs/common';
import { Prisma, PrismaService } from '#app/database';

/**
 * The tables partitioned by day on ts (migration 20261206170533_partition_telemetry_by_day): each has day
 * partitions `<table>_pYYYYMMDD` and a `<table>_default` for rows whose day has none yet.
 * tire_readings_device is the DEVICE half of tire_readings; inspections are in tire_readings_inspection, never dropped.
 */
export const DAY_PARTITIONED_TABLES = ['telemetry_samples', 'tire_readings_device'] as const;
export type DayPartitionedTable = (typeof DAY_PARTITIONED_TABLES)[number];

export interface DayPartition {
  name: string;
  /** The UTC day it holds: [day, day + 1 day). */
  day: Date;
}

const DAY_PARTITION_NAME = /_p(\d{4})(\d{2})(\d{2})$/;
/**
 * Creating, detaching or dropping a partition takes an exclusive lock on the parent table, and ingestion's
 * inserts queue behind it while it waits. Waiting is bounded: a long reader makes this run give up (the next
 * run retries), not ingestion stall.
 */
const LOCK_TIMEOUT = '3s';

@Injectable()
export class RetentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The day partitions of a table, oldest first (the default partition is not one). */
  async dayPartitions(table: DayPartitionedTable): Promise<DayPartition[]> {
    const rows = await this.prisma.$queryRaw<{ name: string }[]>`
      SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = to_regclass(${table}) ORDER BY c.relname`;
    return rows.flatMap(({ name }) => {
      const match = DAY_PARTITION_NAME.exec(name);
      return match === null ? [] : [{ name, day: new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) }];
    });
  }

  /** Detach, then drop: the rows go with their files, no DELETE, no dead tuples to vacuum. */
  async dropPartition(table: DayPartitionedTable, partition: DayPartition): Promise<void> {
    if (!DAY_PARTITION_NAME.test(partition.name) || !partition.name.startsWith(`${table}_p`)) {
      throw new RangeError(`${partition.name} is not a day partition of ${table}`);
    }
    // Identifiers cannot be bind parameters; both names were checked above (a fixed table, a catalog name of a fixed shape).
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('lock_timeout', ${LOCK_TIMEOUT}, true)`;
      await tx.$executeRaw`ALTER TABLE ${Prisma.raw(`"${table}"`)} DETACH PARTITION ${Prisma.raw(`"${partition.name}"`)}`;
      await tx.$executeRaw`DROP TABLE ${Prisma.raw(`"${partition.name}"`)}`;
    });
  }

  /** Rows past retention in the default partition (rows whose day never had a partition: few, if any). */
  async deleteFromDefault(table: DayPartitionedTable, before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM ${Prisma.raw(`"${table}_default"`)} WHERE ts < ${before}`;
  }

  /**
   * Partitions for `today` and the `aheadDays` after it, and for any day stranded in the default partition. One
   * short transaction per day (telemetry_partition_create(), defined by the migration), not one for all: each
   * holds the parent's exclusive lock, and ingestion's commits wait for it.
   */
  async createPartitions(table: DayPartitionedTable, today: Date, aheadDays: number): Promise<number> {
    const from = today.toISOString().slice(0, 10);
    const missing = await this.prisma.$queryRaw<{ day: string }[]>`
      SELECT d::text AS day
        FROM (SELECT DISTINCT (ts AT TIME ZONE 'UTC')::date AS d FROM ${Prisma.raw(`"${table}_default"`)}
              UNION SELECT generate_series(${from}::date, ${from}::date + ${aheadDays}::int, interval '1 day')::date) AS days
       WHERE to_regclass(${table} || '_p' || to_char(d, 'YYYYMMDD')) IS NULL
       ORDER BY 1`;
    let created = 0;
    for (const { day } of missing) {
      const made = await this.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('lock_timeout', ${LOCK_TIMEOUT}, true)`;
        const [row] = await tx.$queryRaw<{ created: boolean }[]>`SELECT telemetry_partition_create(${table}, ${day}::date) AS created`;
        return row.created;
      });
      if (made) created += 1;
    }
    return created;
  }

  /** Rejected messages keep one table: their idempotency key (message hash) holds no time to partition by. */
  async deleteRejectedMessages(before: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM rejected_messages WHERE id IN (
        SELECT id FROM rejected_messages WHERE "receivedAt" < ${before} LIMIT ${batch})`;
  }
}
