import { isUtf8 } from 'node:buffer';
import type { TelemetrySample } from '../telemetry-sample.js';
import { type ContractLimits, DEFAULT_CONTRACT_LIMITS } from './contract-limits.model.js';
import { describeValue, isPlainObject } from './detail-text.js';
import type { Rejection } from './rejection.model.js';
import type { DeviceClockCorrection } from './device-clock.estimator.js';
import { normalizeSample } from './telemetry-sample.normalizer.js';
import { checkTelemetryTopic } from './telemetry-topic.parser.js';

export type ParsedMessage =
  /** Accepted: the good samples, and one rejection per refused sample (with its sampleIndex). */
  | { ok: true; vin: string; samples: TelemetrySample[]; rejections: Rejection[] }
  /** Refused whole; vin is set when the topic was valid. */
  | { ok: false; vin?: string; rejection: Rejection };

/** Whether any sample of the message was refused for a clock ahead (what a device clock correction could save). */
export function refusedForClock(parsed: ParsedMessage): boolean {
  return parsed.ok ? parsed.rejections.some((r) => r.reason === 'CLOCK_IN_FUTURE') : parsed.rejection.reason === 'CLOCK_IN_FUTURE';
}

/**
 * Whether every sample of the message was refused for a clock ahead: what a clock running ahead does to a
 * live message. One sample ahead among good ones is that sample's glitch, not the clock.
 */
export function wholeMessageAhead(parsed: ParsedMessage): boolean {
  return parsed.ok
    ? parsed.samples.length === 0 && parsed.rejections.every((r) => r.reason === 'CLOCK_IN_FUTURE')
    : parsed.rejection.reason === 'CLOCK_IN_FUTURE';
}

const BYTE_ORDER_MARK = '\uFEFF';

const NO_CLOCK_CORRECTION: DeviceClockCorrection = { offsetMs: 0 };

/**
 * The device contract, applied to one MQTT message. Pure and synchronous, and it never throws: every
 * input becomes a ParsedMessage, so one bad device cannot stop ingestion. A single-sample payload
 * that breaks the contract is refused whole; in a batch only the bad samples are.
 */
export function parseTelemetryMessage(
  topic: string,
  payload: Buffer | Uint8Array,
  receivedAt: Date,
  limits: ContractLimits = DEFAULT_CONTRACT_LIMITS,
  clock: DeviceClockCorrection = NO_CLOCK_CORRECTION,
): ParsedMessage {
  const topicCheck = checkTelemetryTopic(topic);
  if (!topicCheck.ok) return { ok: false, rejection: topicCheck.rejection };
  const { vin } = topicCheck;
  try {
    return parsePayload(vin, payload, receivedAt.getTime(), limits, clock);
  } catch (error) {
    // Not expected: every known failure is a rejection already. This keeps the promise not to throw.
    const detail = `the payload could not be read: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, vin, rejection: { reason: 'INVALID_PAYLOAD', detail } };
  }
}

function parsePayload(
  vin: string,
  payload: Buffer | Uint8Array,
  receivedAtMs: number,
  limits: ContractLimits,
  clock: DeviceClockCorrection,
): ParsedMessage {
  const refuse = (reason: Rejection['reason'], detail: string): ParsedMessage => ({ ok: false, vin, rejection: { reason, detail } });

  if (payload.byteLength > limits.maxPayloadBytes) {
    return refuse('PAYLOAD_TOO_LARGE', `payload is ${payload.byteLength} bytes; the limit is ${limits.maxPayloadBytes} bytes`);
  }
  if (payload.byteLength === 0) return refuse('MALFORMED_JSON', 'payload is empty; a JSON sample or {"samples":[...]} is expected');
  // Buffer.toString would silently turn invalid bytes into U+FFFD and store them.
  if (!isUtf8(payload)) return refuse('MALFORMED_JSON', 'payload is not valid UTF-8');
  let text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  if (text.startsWith(BYTE_ORDER_MARK)) text = text.slice(1);

  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return refuse('MALFORMED_JSON', `payload is not JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(document)) {
    return refuse('INVALID_PAYLOAD', `payload must be a sample object or {"samples":[...]}, got ${describeValue(document)}`);
  }

  if (!Object.hasOwn(document, 'samples')) {
    const outcome = normalizeSample(document, receivedAtMs, limits, clock);
    return outcome.ok ? { ok: true, vin, samples: [outcome.sample], rejections: [] } : { ok: false, vin, rejection: outcome.rejection };
  }

  const batch = document.samples;
  if (!Array.isArray(batch)) return refuse('INVALID_PAYLOAD', `samples must be an array of sample objects, got ${describeValue(batch)}`);
  if (batch.length === 0) return refuse('INVALID_PAYLOAD', 'samples is empty; send at least one sample');
  if (batch.length > limits.maxSamplesPerMessage) {
    return refuse('TOO_MANY_SAMPLES', `samples holds ${batch.length} samples; the limit is ${limits.maxSamplesPerMessage} per message`);
  }
  return parseBatch(vin, batch, receivedAtMs, limits, clock);
}

function parseBatch(vin: string, batch: unknown[], receivedAtMs: number, limits: ContractLimits, clock: DeviceClockCorrection): ParsedMessage {
  const samples: TelemetrySample[] = [];
  const rejections: Rejection[] = [];
  // seq -> index of the accepted sample that holds it.
  const seen = new Map<number, number>();
  for (let index = 0; index < batch.length; index += 1) {
    const outcome = normalizeSample(batch[index], receivedAtMs, limits, clock);
    if (!outcome.ok) {
      rejections.push({ ...outcome.rejection, sampleIndex: index });
      continue;
    }
    const { seq } = outcome.sample;
    const first = seen.get(seq);
    if (first !== undefined) {
      rejections.push({
        reason: 'DUPLICATE_SEQ_IN_MESSAGE',
        detail: `seq ${seq} is used twice in this message (samples ${first} and ${index}); the first is kept`,
        sampleIndex: index,
      });
      continue;
    }
    seen.set(seq, index);
    samples.push(outcome.sample);
  }
  return { ok: true, vin, samples, rejections };
}
