import type { Rejection } from './rejection.model.js';

// ISO 3779: 17 characters, letters I, O and Q excluded (they read as 1 and 0). The check digit is
// mandatory only in North America, so it is not verified.
const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/i;
const TOPIC_SHOWN_CHARS = 120;

export type TopicCheck = { ok: true; vin: string } | { ok: false; rejection: Rejection };

/** The device contract's telemetry topic of a vehicle. */
export const telemetryTopicOf = (vin: string): string => `vehicles/${vin}/telemetry`;

export function isValidVin(vin: string): boolean {
  return VIN_PATTERN.test(vin);
}

/** `vehicles/{vin}/telemetry` -> the VIN upper-cased, or undefined for any other topic or a malformed VIN. */
export function parseTelemetryTopic(topic: string): string | undefined {
  const check = checkTelemetryTopic(topic);
  return check.ok ? check.vin : undefined;
}

/** As parseTelemetryTopic, with the reason when the topic is refused. */
export function checkTelemetryTopic(topic: string): TopicCheck {
  const text = String(topic);
  const parts = text.split('/');
  if (parts.length !== 3 || parts[0] !== 'vehicles' || parts[2] !== 'telemetry') {
    return { ok: false, rejection: { reason: 'BAD_TOPIC', detail: `topic ${quote(text)} is not vehicles/{vin}/telemetry` } };
  }
  const vin = parts[1];
  if (!isValidVin(vin)) {
    const detail = `VIN ${quote(vin)} in topic ${quote(text)} is not a VIN: 17 characters from 0-9 and A-Z without I, O, Q expected`;
    return { ok: false, rejection: { reason: 'INVALID_VALUE', detail } };
  }
  return { ok: true, vin: vin.toUpperCase() };
}

function quote(text: string): string {
  return JSON.stringify(text.length > TOPIC_SHOWN_CHARS ? `${text.slice(0, TOPIC_SHOWN_CHARS)}…` : text);
}
