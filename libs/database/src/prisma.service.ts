import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { APP_CONFIG, type DatabaseConfig } from '#app/config';
import { DatabasePool } from './database-pool.js';
import { type Prisma, PrismaClient } from './generated/prisma/client.js';

/** How long closing waits for Postgres before it lets go (a stopping process must not hang on its database). */
const DISCONNECT_GRACE_MS = 5_000;

/** Distinct texts poolRowsPrepared prepares (per process, on each pooled connection): the health and history reads have 66 at most. */
const PREPARED_TEXTS_MAX = 200;

/**
 * Creates a Prisma client on the pg driver adapter (no native query engine on these machines), over our own
 * pool: the same outage handling as ingestion's (an ended connection is logged, not fatal; connects and queries
 * time out instead of waiting forever) and a pool we can look into when closing.
 */
export function createPrismaClient(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(new DatabasePool(databaseUrl, poolSize)) });
}

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);
  /** The pg pool under Prisma, for the writers that run raw batch statements (TelemetryBatchWriter). */
  readonly pool: DatabasePool;
  /** Statement text -> its prepared statement's name (poolRowsPrepared): one name per text, never two texts per name. */
  private readonly preparedNames = new Map<string, string>();
  private preparedFull = false;

  constructor(@Inject(APP_CONFIG) config: DatabaseConfig) {
    const pool = new DatabasePool(config.databaseUrl, 10, (line) => new Logger(PrismaService.name).warn(line));
    super({ adapter: new PrismaPg(pool) });
    this.pool = pool;
  }

  /**
   * Prisma compiles its query planner (WebAssembly) on the first query, blocking the event loop for it: ~125 ms on
   * this machine when quiet, seconds under load, long enough for a readiness probe's Redis and MQTT checks to time out
   * behind its Postgres one (test/api/readiness.e2e.ts failed so once in a CI rehearsal). So the first query is made at
   * start, where the block harms nothing. Not awaited, and its failure ignored: the compile does not need Postgres (it
   * happens before the connection is tried), and a process must start while Postgres is down.
   */
  onModuleInit(): void {
    this.$queryRaw`SELECT 1`.catch(() => undefined);
  }

  /**
   * The rows of a Prisma.sql statement run on the pool under Prisma instead of $queryRaw/$executeRaw, for the hot
   * per-car statements (the worker's score, the API's per-car and list pages): Prisma's raw path converts every
   * parameter and row, 1-5 ms per statement measured here (save 10.5 -> 5.0 ms, markScored 4.7 -> 1.4 ms), and its
   * JSON columns cost the API more CPU than the read itself. pg's own parsing applies: enums, bigints and other
   * types it does not know come back as text, so such columns are cast or converted by the caller.
   */
  async poolRows<R>(sql: Prisma.Sql): Promise<R[]> {
    const { rows } = await this.pool.query(sql.text, sql.values);
    return rows as R[];
  }

  /**
   * poolRows as a named prepared statement, for a statement that runs on every request of a hot route: Postgres
   * parses and plans its text once per pooled connection and then only binds the values (plans of single-car reads
   * by key do not depend on the values, so its cached generic plan is the custom one). Only for statements whose
   * text comes from a small fixed set, the values being parameters: each distinct text stays prepared on each
   * connection, so past PREPARED_TEXTS_MAX texts in this process the rest run unprepared (and it says so once). Not
   * for reads of the day-partitioned telemetry: their partitions are pruned when the plan is made with the values.
   */
  async poolRowsPrepared<R>(sql: Prisma.Sql): Promise<R[]> {
    let name = this.preparedNames.get(sql.text);
    if (name === undefined && this.preparedNames.size < PREPARED_TEXTS_MAX) {
      name = `carhealth_${String(this.preparedNames.size)}`;
      this.preparedNames.set(sql.text, name);
    } else if (name === undefined && !this.preparedFull) {
      this.preparedFull = true;
      this.logger.warn(`more than ${String(PREPARED_TEXTS_MAX)} prepared statement texts: the rest run unprepared (a text built from values?)`);
    }
    const { rows } = await this.pool.query(
      name === undefined ? { text: sql.text, values: sql.values } : { name, text: sql.text, values: sql.values },
    );
    return rows as R[];
  }

  /**
   * At application shutdown, the last of Nest's hooks: after the queue workers have let their running jobs finish
   * (beforeApplicationShutdown) and the HTTP server has closed, so what was running still has its database (closed at
   * onModuleDestroy, the first hook, it failed every job a graceful stop waited for: test/queue/graceful-shutdown.e2e.ts).
   * Bounded: pool.end() waits for every checked-out connection, and a connection Prisma took for a transaction
   * when Postgres went away may never be given back; that kept the worker from exiting on SIGTERM after an outage.
   */
  async onApplicationShutdown(): Promise<void> {
    const ended = (async () => {
      await this.$disconnect();
      await this.pool.end();
    })();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), DISCONNECT_GRACE_MS);
    });
    const outcome = await Promise.race([ended.then(() => 'ended' as const), expired]);
    clearTimeout(timer);
    if (outcome === 'expired') {
      this.logger.warn(
        `database pool not closed after ${DISCONNECT_GRACE_MS} ms: ${this.pool.totalCount - this.pool.idleCount} connection(s) still checked out; exiting without them`,
      );
    }
  }
}
