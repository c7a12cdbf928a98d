import type { TelemetrySample } from '#app/telemetry';

/** Where the runners send each device message; the MQTT implementation is MqttFleetPublisher. */
export interface SamplePublisher {
  /** Resolves once the message is accepted for sending (an in-flight slot is free), not when acknowledged. */
  send(vin: string, samples: readonly TelemetrySample[]): Promise<void>;
}

/** The device contract's JSON: one sample, or `{ samples: [...] }` for a batch. Dates become ISO-8601. */
export function telemetryPayload(samples: readonly TelemetrySample[]): string {
  return JSON.stringify(samples.length === 1 ? samples[0] : { samples });
}

export const telemetryTopic = (vin: string): string => `vehicles/${vin}/telemetry`;
