import { z } from 'zod';
import { booleanFlag, type Env } from '../env-schema.js';

export const mqttShape = {
  MQTT_URL: z
    .string()
    .regex(/^(mqtts?|tcp|ws|wss):\/\//, 'must be an mqtt:// URL')
    .default('mqtt://127.0.0.1:1883'),
  MQTT_EMBEDDED_BROKER: booleanFlag,
  /**
   * Shared-subscription group of the ingestion replicas. Empty (the default): one replica, one connection, a
   * plain subscription, which Mosquitto 2.0.11 restores with the session after a restart, so nothing published
   * while ingestion reconnects is dropped. Set it (e.g. `ingest`) to run several replicas; see the README on
   * what a broker restart can lose then.
   */
  MQTT_SHARE_GROUP: z.string().default(''),
};

export interface MqttConfig {
  readonly mqtt: {
    readonly url: string;
    readonly embeddedBroker: boolean;
    readonly shareGroup: string;
  };
}

export const mqttOf = (e: Env<typeof mqttShape>): MqttConfig => ({
  mqtt: { url: e.MQTT_URL, embeddedBroker: e.MQTT_EMBEDDED_BROKER, shareGroup: e.MQTT_SHARE_GROUP },
});
