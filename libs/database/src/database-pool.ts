import type { OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { type LogSink, throttledLog } from '#app/observability';

/** Time for a connection's holder to give it back after it ended, before the pool takes it back itself. */
const RECLAIM_AFTER_MS = 5_000;

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
  constructor(
    connectionString: string,
    max: number,
    // Not `log`: pg.Pool calls its own debug logger `this.log` on every checkout and release, and a field of
    // that name turned every pool event into a warning line (~50,000 in one failover test).
    private readonly warnSink: LogSink = (line) => console.warn(line),
  ) {
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
    const warn = throttledLog(warnSink, 10_000);
    const lost = (error: Error): void => warn(`postgres connection lost (${error.message}); the next query reconnects`);
    // Idle connections report through the pool...
    this.on('error', lost);
    // ...a checked-out one through itself, and only to its running query if there is one: between two queries of
    // a transaction an unheard 'error' would be fatal too. The transaction's next query fails and is retried.
    this.on('connect', (client) => {
      client.on('error', lost);
      client.on('end', () => setTimeout(() => this.reclaim(client), RECLAIM_AFTER_MS).unref());
    });
    this.on('acquire', (client) => this.checkedOut.add(client));
    this.on('release', (_error: Error | undefined, client: pg.PoolClient) => this.checkedOut.delete(client));
  }

  private readonly checkedOut = new Set<pg.PoolClient>();

  /**
   * A connection that ended while checked out and was never given back. Prisma's driver adapter does not always
   * release the connection of a transaction that Postgres cut (seen: 3 per 30 s outage), and each one kept a
   * pool slot forever: a few outages would have left the worker without connections. A dead connection is of no
   * use to whoever still holds it (its queries fail), so it is destroyed and its slot freed.
   */
  private reclaim(client: pg.PoolClient): void {
    if (!this.checkedOut.has(client)) return;
    // Rare and each one worth seeing: not throttled with the 'connection lost' lines of an outage.
    this.warnSink(`reclaimed a postgres connection that ended while checked out and was not given back`);
    try {
      client.release(new Error('connection ended while checked out'));
    } catch {
      // released meanwhile: nothing to reclaim
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.end();
  }
}
