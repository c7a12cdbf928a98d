import { type LogSink, throttledLog } from '#app/observability';

/** Where queue connection errors go; the apps pass their Nest logger's warn. */
export type QueueErrorSink = LogSink;

const QUIET_MS = 30_000;

/**
 * A BullMQ Queue emits 'error' on every failed reconnect while Redis is down (several per second).
 * Unlistened, each is printed with a stack; listened to, they are the operator's signal. This keeps
 * the signal and drops the noise: the first error at once, then at most one line per 30 s with the
 * number of errors in between. Losing Redis loses no data (Postgres is the record; the reconciler and
 * the sweep re-queue), so a warning is the right level.
 */
export function errorLogFor(queueName: string, sink: QueueErrorSink, now: () => number = Date.now): (error: Error) => void {
  const log = throttledLog(sink, QUIET_MS, now);
  return (error) => log(`queue ${queueName}: ${error.message}`);
}
