/** Where queue connection errors go; the apps pass their Nest logger's warn. */
export type QueueErrorSink = (message: string) => void;

const QUIET_MS = 30_000;

/**
 * A BullMQ Queue emits 'error' on every failed reconnect while Redis is down (several per second).
 * Unlistened, each is printed with a stack; listened to, they are the operator's signal. This keeps
 * the signal and drops the noise: the first error at once, then at most one line per 30 s with the
 * number of errors in between. Losing Redis loses no data (Postgres is the record; the reconciler and
 * the sweep re-queue), so a warning is the right level.
 */
export function errorLogFor(queueName: string, sink: QueueErrorSink, now: () => number = Date.now): (error: Error) => void {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (error) => {
    const at = now();
    if (at - lastLoggedAt < QUIET_MS) {
      suppressed += 1;
      return;
    }
    const more = suppressed > 0 ? ` (${suppressed} more since the last report)` : '';
    sink(`queue ${queueName}: ${error.message}${more}`);
    lastLoggedAt = at;
    suppressed = 0;
  };
}
