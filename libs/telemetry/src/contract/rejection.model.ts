/**
 * Why a message or a sample was refused. Stored with every rejected message (rejected_messages.reason),
 * so device owners can look a code up: add codes, never rename them.
 *
 * Unknown fields are not a reason: they are ignored, so devices can send more than we read today.
 */
export const REJECTION_REASONS = [
  /** Topic is not `vehicles/{vin}/telemetry`. Whole message. */
  'BAD_TOPIC',
  /** Payload larger than ContractLimits.maxPayloadBytes. Whole message. */
  'PAYLOAD_TOO_LARGE',
  /** Empty, not UTF-8, or not JSON. Whole message. */
  'MALFORMED_JSON',
  /** JSON, but not a sample object or `{ "samples": [ ... ] }`; or a batch entry that is not an object. */
  'INVALID_PAYLOAD',
  /** More samples in one batch than ContractLimits.maxSamplesPerMessage. Whole message. */
  'TOO_MANY_SAMPLES',
  /** A sample without `ts` or `seq`. */
  'MISSING_FIELD',
  /** A value of the wrong type or form: a string for a number, a bad timestamp, seq, DTC or VIN. */
  'INVALID_VALUE',
  /** A number outside the sensor's plausible range (not a maintenance threshold). */
  'OUT_OF_RANGE',
  /** `ts` further ahead of the receive time than ContractLimits.maxFutureSkewMs. */
  'CLOCK_IN_FUTURE',
  /** `ts` older than ContractLimits.maxAgeMs at receive time. */
  'CLOCK_TOO_OLD',
  /** A batch holding the same `seq` twice: the later sample is refused, the first kept. */
  'DUPLICATE_SEQ_IN_MESSAGE',
  /** Set by ingestion: no registered vehicle has the topic's VIN. */
  'UNKNOWN_VIN',
  /** Set by ingestion: the database refused a sample the contract accepted. */
  'STORAGE_REFUSED',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  reason: RejectionReason;
  /** For people: names the field, the value and the limit. */
  detail: string;
  /** Index in `samples` for a per-sample rejection; absent when the whole message was refused. */
  sampleIndex?: number;
}
