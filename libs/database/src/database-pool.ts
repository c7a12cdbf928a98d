import type { OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { type LogSink, throttledLog } from '#app/observability';

/**
 * A pg pool for hot paths that Prisma cannot serve fast enough (bulk telemetry). Closed with the app.
 *
 * A Postgres restart, `pg_terminate_backend` or a proxy's idle timeout ends the pool's idle connections, and
 * pg emits 'error' on the pool for each: with no listener that is an uncaught exception, and the process
 * exits (it did: ingestion died within a second of `pg_ctl stop -m fast`). The pool has already dropped the
 * dead connection and opens a new one on the next query, so logging is all there is to do; the query that
 * was running fails and its caller retries.
 */
export class DatabasePool extends pg.Pool implements OnApplicationShutdown {
  constructor(connectionString: string, max: number, log: LogSink = (line) => console.warn(line)) {
    super({
      connectionString,
      max,
      allowExitOnIdle: true,
      // Notice a peer that vanished without a FIN (a host down, a NAT or proxy that forgot us)...
      keepAlive: true,
      // ...and never wait forever for a connection or an answer: a hung commit would stall ingestion silently.
      // Failed attempts are retried by the caller; writes are idempotent, so a commit that did land before
      // its answer timed out stores nothing twice when retried.
      connectionTimeoutMillis: 10_000,
      query_timeout: 60_000,
    });
    const warn = throttledLog(log, 10_000);
    const lost = (error: Error): void => warn(`postgres connection lost (${error.message}); the next query reconnects`);
    // Idle connections report through the pool...
    this.on('error', lost);
    // ...a checked-out one through itself, and only to its running query if there is one: between two queries of
    // a transaction an unheard 'error' would be fatal too. The transaction's next query fails and is retried.
    this.on('connect', (client) => client.on('error', lost));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.end();
  }
}
