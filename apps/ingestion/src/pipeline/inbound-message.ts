/** A message as it came off the broker, with the means to acknowledge it once it is safely stored. */
export interface InboundMessage {
  topic: string;
  payload: Buffer;
  receivedAt: Date;
  /** Sends the PUBACK. Called only after the message's samples (or its rejection) are committed. */
  ack: () => void;
}

/** What the pipeline counts; the metrics recorder in libs/observability implements it. */
export interface IngestCounters {
  received(count: number): void;
  stored(count: number): void;
  duplicates(count: number): void;
  rejected(reason: string, count?: number): void;
  batch(size: number, commitLagMs: number[]): void;
}
