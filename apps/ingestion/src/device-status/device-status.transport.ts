import type { ConsumerDeserializer, IncomingEvent, MqttOptions } from '@nestjs/microservices';
import { Transport } from '@nestjs/microservices';
import { deviceStatusClientId, type IngestionConfig } from '#app/config';

/**
 * Every message is an event on its own topic, whatever its JSON says. Nest's default deserializer takes a
 * payload carrying `pattern`, `data` or `id` keys for one of its own packets, so a device could turn its
 * status into a request (Nest then publishes a reply to `<topic>/reply`) or address another handler.
 */
export class DeviceMessageDeserializer implements ConsumerDeserializer {
  deserialize(value: unknown, options?: Record<string, unknown>): IncomingEvent {
    const channel = options?.channel;
    return { pattern: typeof channel === 'string' ? channel : '', data: value };
  }
}

/**
 * The device-status listener's connection: the internal listener (as ingestion's, no login), its own client id
 * in the reserved `ingest-` space, a clean session (the retained topic, not a session, is what survives a
 * restart; retained messages are never sent to a `$share` subscription, so every replica subscribes plainly and
 * writes the same last-write-wins rows).
 */
export function deviceStatusTransport(config: IngestionConfig): MqttOptions {
  const { mqtt, ingestion } = config;
  return {
    transport: Transport.MQTT,
    options: {
      url: mqtt.url,
      clientId: deviceStatusClientId(ingestion),
      // Aedes (the embedded fallback) speaks MQTT 3.1.1 only.
      protocolVersion: mqtt.embeddedBroker ? 4 : 5,
      clean: true,
      reconnectPeriod: ingestion.reconnectMs,
      subscribeOptions: { qos: 1 },
      deserializer: new DeviceMessageDeserializer(),
    },
  };
}
