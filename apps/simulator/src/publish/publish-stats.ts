/** Counters shared by the publisher and the progress line. */
export class PublishStats {
  messages = 0;
  samples = 0;
  errors = 0;
  reconnects = 0;
  inFlight = 0;
  readonly startedAt = Date.now();
}
