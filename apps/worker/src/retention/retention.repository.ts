import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type pg from 'pg';
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
 * Creating, detaching or dropping a partition takes an ACCESS EXCLUSIVE lock on the parent table (and the
 * default partition), and every statement on the table queues behind it while it waits: ingestion's inserts,
 * the API's reads. Waiting is short and bounded: behind a long reader (or the writer's open transactions, whose
 * resend probe holds every partition) the change gives up after LOCK_TIMEOUT_MS, lets the queue through, and
 * tries again after a pause; still busy after LOCK_ATTEMPTS, it is left to the next sweep. So a sweep holds up
 * ingestion for at most LOCK_TIMEOUT_MS at a time (test/worker/retention-locks.e2e.ts measures it).
 */
export const LOCK_TIMEOUT_MS = 500;
const LOCK_ATTEMPTS = 3;
const LOCK_RETRY_PAUSE_MS = 1_000;
/**
 * Postgres' lock_not_available (lock_timeout ran out) and deadlock_detected. A partition change for a day stranded in
 * the default partition detaches and re-attaches the default, which adds and drops the foreign key's triggers on
 * `vehicles` (SHARE ROW EXCLUSIVE, then ACCESS EXCLUSIVE on it): a transaction that read a vehicle and then updates it
 * (an owner's "done") can then wait on the change while the change waits on it. Whichever of the two Postgres aborts,
 * nothing of it was written; here it is the same as a busy table: pause, try again, or leave it to the next sweep.
 */
const BUSY_SQLSTATES = new Set(['55P03', '40P01']);

const isBusy = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && typeof error.code === 'string' && BUSY_SQLSTATES.has(error.code);

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

  /**
   * Detach, then drop: the rows go with their files, no DELETE, no dead tuples to vacuum. False when the table
   * stayed busy (see LOCK_TIMEOUT_MS): nothing changed, the next sweep tries again.
   */
  async dropPartition(table: DayPartitionedTable, partition: DayPartition): Promise<boolean> {
    if (!DAY_PARTITION_NAME.test(partition.name) || !partition.name.startsWith(`${table}_p`)) {
      throw new RangeError(`${partition.name} is not a day partition of ${table}`);
    }
    // Identifiers cannot be bind parameters; both names were checked above (a fixed table, a catalog name of a fixed shape).
    // DETACH ... CONCURRENTLY would take a weaker lock, but Postgres refuses it on a table with a default partition.
    return this.underShortLocks(async (client) => {
      await client.query(`ALTER TABLE "${table}" DETACH PARTITION "${partition.name}"`);
      await client.query(`DROP TABLE "${partition.name}"`);
      return true;
    }, false);
  }

  /** Rows past retention in the default partition (rows whose day never had a partition: few, if any). */
  async deleteFromDefault(table: DayPartitionedTable, before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM ${Prisma.raw(`"${table}_default"`)} WHERE ts < ${before}`;
  }

  /**
   * Partitions for `today` and the `aheadDays` after it, and for any day stranded in the default partition. One
   * short transaction per day (telemetry_partition_create(), defined by the migration), not one for all: each
   * holds the parent's exclusive lock, and ingestion's commits wait for it. `busy`: days left to the next sweep.
   */
  async createPartitions(table: DayPartitionedTable, today: Date, aheadDays: number): Promise<{ created: number; busy: number }> {
    const from = today.toISOString().slice(0, 10);
    const missing = await this.prisma.$queryRaw<{ day: string }[]>`
      SELECT d::text AS day
        FROM (SELECT DISTINCT (ts AT TIME ZONE 'UTC')::date AS d FROM ${Prisma.raw(`"${table}_default"`)}
              UNION SELECT generate_series(${from}::date, ${from}::date + ${aheadDays}::int, interval '1 day')::date) AS days
       WHERE to_regclass(${table} || '_p' || to_char(d, 'YYYYMMDD')) IS NULL
       ORDER BY 1`;
    let created = 0;
    let busy = 0;
    for (const { day } of missing) {
      const made = await this.underShortLocks(async (client) => {
        const result = await client.query<{ created: boolean }>('SELECT telemetry_partition_create($1, $2::date) AS created', [table, day]);
        return result.rows.some((row) => row.created) ? 'created' : 'existed';
      }, 'busy');
      if (made === 'created') created += 1;
      if (made === 'busy') busy += 1;
    }
    return { created, busy };
  }

  /** Rejected messages keep one table: their idempotency key (message hash) holds no time to partition by. */
  async deleteRejectedMessages(before: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM rejected_messages WHERE id IN (
        SELECT id FROM rejected_messages WHERE "receivedAt" < ${before} LIMIT ${batch})`;
  }

  /**
   * `work` in one transaction whose every lock wait is cut at LOCK_TIMEOUT_MS; retried LOCK_ATTEMPTS times, then
   * `whenBusy`. On the pg pool under Prisma, not $transaction: the lock timeout is told apart by its SQLSTATE.
   */
  private async underShortLocks<T>(work: (client: pg.PoolClient) => Promise<T>, whenBusy: T): Promise<T> {
    for (let attempt = 1; attempt <= LOCK_ATTEMPTS; attempt += 1) {
      const client = await this.prisma.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL lock_timeout = ${String(LOCK_TIMEOUT_MS)}`);
        const value = await work(client);
        await client.query('COMMIT');
        client.release();
        return value;
      } catch (error) {
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(rolledBack ? undefined : (error as Error));
        if (!isBusy(error)) throw error;
      }
      if (attempt < LOCK_ATTEMPTS) await sleep(LOCK_RETRY_PAUSE_MS);
    }
    return whenBusy;
  }
}
