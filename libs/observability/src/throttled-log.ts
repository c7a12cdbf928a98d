/** Where a throttled line goes: usually a Nest logger's warn. */
export type LogSink = (line: string) => void;

/**
 * For a failure that repeats many times a second while it lasts (a peer down, reconnects failing): the first
 * line at once, then at most one per `quietMs`, telling how many were dropped in between. The signal stays,
 * the noise goes.
 */
export function throttledLog(sink: LogSink, quietMs: number, now: () => number = Date.now): LogSink {
  let lastLoggedAt = Number.NEGATIVE_INFINITY;
  let suppressed = 0;
  return (line) => {
    const at = now();
    if (at - lastLoggedAt < quietMs) {
      suppressed += 1;
      return;
    }
    sink(suppressed > 0 ? `${line} (${suppressed} more since the last report)` : line);
    lastLoggedAt = at;
    suppressed = 0;
  };
}
