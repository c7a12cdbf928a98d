import mqtt, { type MqttClient } from 'mqtt';

/** A device-like publisher: QoS 1, each publish resolved when the broker acknowledged it. */
export class TelemetryPublisher {
  private constructor(private readonly client: MqttClient) {}

  static async connect(url: string, clientId: string): Promise<TelemetryPublisher> {
    const client = await mqtt.connectAsync(url, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: 500 });
    return new TelemetryPublisher(client);
  }

  async publish(vin: string, payload: string | Buffer, topic = `vehicles/${vin}/telemetry`): Promise<void> {
    await this.client.publishAsync(topic, payload, { qos: 1 });
  }

  /** Publishes all messages with up to `window` unacknowledged at once. */
  async publishAll(messages: { vin: string; payload: string | Buffer; topic?: string }[], window = 200): Promise<void> {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < messages.length) {
        const message = messages[next++]!;
        await this.publish(message.vin, message.payload, message.topic);
      }
    };
    await Promise.all(Array.from({ length: Math.min(window, messages.length) }, lane));
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

export async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await probe();
  }
  return value;
}

/**
 * Ends a persistent broker session (clean start, no expiry), so a test's ingestion group does not keep
 * collecting copies of every later message in the broker after the test.
 */
export async function discardSession(url: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(url, {
    clientId,
    clean: true,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
  });
  await client.endAsync();
}
