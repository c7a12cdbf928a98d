import { z } from 'zod';
import { booleanFlag, type Env } from '../env-schema.js';
import { type HostPort, hostPortList } from '../host-port-list.js';

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
  /**
   * A clustered broker tier (scripts/nats-cluster.sh, deploy/cluster): every node's MQTT listener as host:port,
   * comma-separated. Empty (the default): one broker, MQTT_URL. Set, /health/ready connects to each node with
   * MQTT_URL's login and reports each, ready while a majority of them accept (the quorum a replicated QoS 1
   * publish needs).
   */
  MQTT_BROKER_NODES: hostPortList('10.0.0.1:1883,10.0.0.2:1883,10.0.0.3:1883'),
};

export interface MqttConfig {
  readonly mqtt: {
    readonly url: string;
    readonly embeddedBroker: boolean;
    readonly shareGroup: string;
    /** The broker tier's nodes (MQTT listeners); empty: one broker at `url`. */
    readonly brokerNodes: readonly HostPort[];
  };
}

export const mqttOf = (e: Env<typeof mqttShape>): MqttConfig => ({
  mqtt: { url: e.MQTT_URL, embeddedBroker: e.MQTT_EMBEDDED_BROKER, shareGroup: e.MQTT_SHARE_GROUP, brokerNodes: e.MQTT_BROKER_NODES },
});
