/** `what` took longer than its bound; the work itself goes on in the background, to finish or fail unseen. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';

  constructor(what: string, ms: number) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/**
 * `work`, or a TimeoutError once `ms` have passed: for a request that must not wait on a peer that may never
 * answer (Redis reconnecting, a broker down). After a stalled event loop the timer can fire before the poll
 * phase has read a reply already waiting on the socket; setImmediate lets that reply win the race first.
 * The work is not cancelled: its later failure is swallowed here, since the caller has moved on.
 * A dozen lines, so no dependency (p-timeout) for it; that setImmediate is the part a library would not have.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new TimeoutError(what, ms))), ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
    work.catch(() => undefined);
  });
}
