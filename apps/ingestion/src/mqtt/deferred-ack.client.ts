import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { throttledLog } from '#app/observability';

export type MessageHandler = (topic: string, payload: Buffer, ack: () => void) => void;

/** A QoS 0 subscription of the same connection beside the telemetry one (the broker's $SYS counters). */
export interface SideSubscription {
  filter: string;
  onMessage(topic: string, payload: Buffer): void;
}

export interface ConnectionStatus {
  connected: boolean;
  /**
   * Telemetry is delivered on the current connection: its subscription was granted, or, while the SUBSCRIBE
   * sent on connect is still unanswered (not refused), the session's telemetry is already arriving.
   */
  subscribed: boolean;
  lastMessageAt: number | null;
}

/** How soon a refused or failed SUBSCRIBE is tried again on the same connection. */
const RESUBSCRIBE_RETRY_MS = 1_000;
/** MQTT 5 SUBACK reason codes from 0x80 are refusals (3.1.1 has only 0x80). */
const SUBACK_FAILURE = 0x80;

// Kept over @nestjs/microservices' MQTT transport, which acknowledges a QoS 1 message on receipt, before it is stored.
// mqtt.js processes one incoming packet at a time and sends PUBACK from handleMessage's callback, so
// acknowledging after a database commit that way would cap a connection at one message per commit.
// Instead the callback is released at once with a marker error (mqtt.js then skips its own PUBACK
// and reads the next packet) and the PUBACK is sent by us once the message is committed.
// Relies on mqtt.js internals (`_sendPacket`, the handlePublish flow of mqtt 5.16, pinned in
// package.json); test/ingestion covers the behaviour.
const DEFERRED = new Error('acknowledged after commit');

interface PubackSender {
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode?: number }): void;
}

/**
 * One broker connection of the ingestion group: persistent session (the broker keeps unacknowledged
 * messages while we are away and resends them when we return with the same client id), QoS 1, and
 * PUBACK only when `ack` is called.
 */
export class DeferredAckMqttClient {
  private client: MqttClient | undefined;
  /** Bumped on every (re)connect: an ack meant for an earlier connection is not sent on a new one. */
  private generation = 0;
  private corked = false;
  /** The generation whose telemetry subscription the broker granted. */
  private subscribedGeneration = -1;
  /** The generation whose SUBSCRIBE the broker refused (or that failed): retried, not delivering meanwhile. */
  private refusedGeneration = -1;
  /** The generation on which telemetry last arrived. */
  private deliveringGeneration = -1;
  private lastMessageAt: number | null = null;

  constructor(
    private readonly url: string,
    private readonly options: {
      clientId: string;
      topicFilter: string;
      protocolVersion: 4 | 5;
      receiveMaximum: number;
      reconnectPeriodMs: number;
      side?: SideSubscription;
    },
    private readonly onMessage: MessageHandler,
    private readonly log: (message: string) => void,
  ) {}

  status(): ConnectionStatus {
    const connected = this.client?.connected === true;
    const granted = this.subscribedGeneration === this.generation;
    // A broker writes a persistent session's queued messages right after CONNACK, before it reads the SUBSCRIBE
    // sent on connect (Mosquitto does): after a while away the SUBACK comes only once a backlog of thousands
    // of messages was read, seconds later. Telemetry arriving meanwhile is the session's subscription at work;
    // if the broker had in fact lost it, the backlog ends and the SUBACK follows (or a refusal, which counts).
    const catchingUp = !granted && this.refusedGeneration !== this.generation && this.deliveringGeneration === this.generation;
    return { connected, subscribed: connected && (granted || catchingUp), lastMessageAt: this.lastMessageAt };
  }

  async connect(): Promise<void> {
    const { clientId, protocolVersion, receiveMaximum } = this.options;
    const connectOptions: IClientOptions = {
      clientId,
      clean: false,
      protocolVersion,
      reconnectPeriod: this.options.reconnectPeriodMs,
      connectTimeout: 10_000,
      keepalive: 30,
      resubscribe: false,
      ...(protocolVersion === 5 ? { properties: { sessionExpiryInterval: 7 * 24 * 3600, receiveMaximum: Math.min(receiveMaximum, 65535) } } : {}),
    };
    const client = mqtt.connect(this.url, { ...connectOptions, manualConnect: true });
    client.handleMessage = (packet: IPublishPacket, callback) => this.handle(client, packet, callback);
    client.on('connect', () => {
      this.generation += 1;
      // Subscribe on every connect, session present or not: a broker may restore a session without all of its
      // subscriptions (Mosquitto 2.0.11 drops `$share/...` ones on restart and still says sessionPresent), and
      // then acknowledges every car's publish while nothing reaches us. Subscribing again to a subscription the
      // session has is harmless: the broker replaces it.
      this.subscribe(client, this.generation);
      const side = this.options.side;
      if (side) client.subscribe(side.filter, { qos: 0 }, () => undefined);
    });
    // Retried every reconnect period while the broker is away: one line now, then one per 10 s with a count.
    const outage = throttledLog(this.log, 10_000);
    client.on('error', (error) => outage(`mqtt ${clientId}: ${error.message}`));
    client.on('offline', () => outage(`mqtt ${clientId}: offline, reconnecting`));
    this.client = client;
    // The first connection is waited for as long as it takes, as a reconnect would be: a broker that is down or slow
    // to answer (a NATS node still electing its JetStream leaders took over 10 s to send CONNACK under load) is
    // retried every reconnect period, with the outage lines above. Only a broker that answers and refuses us (bad
    // credentials, not authorised: a CONNACK reason code, after which mqtt.js does not retry) fails the start, so
    // a misconfiguration stops the replica at once instead of retrying forever.
    await new Promise<void>((resolve, reject) => {
      const onConnect = (): void => {
        client.off('error', onError);
        resolve();
      };
      const onError = (error: Error): void => {
        if (!isConnackRefusal(error)) return;
        client.off('connect', onConnect);
        client.off('error', onError);
        reject(error);
      };
      client.once('connect', onConnect);
      client.on('error', onError);
      client.connect();
    });
  }

  /** Stops taking messages; unacknowledged ones stay with the broker for the next session. */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    await client.endAsync(false);
  }

  private subscribe(client: MqttClient, generation: number): void {
    const { topicFilter } = this.options;
    const retry = (why: string): void => {
      this.refusedGeneration = generation;
      this.log(`subscribe ${topicFilter} ${why}; retrying in ${RESUBSCRIBE_RETRY_MS} ms`);
      setTimeout(() => {
        if (generation === this.generation && client.connected) this.subscribe(client, generation);
      }, RESUBSCRIBE_RETRY_MS).unref();
    };
    client.subscribe(topicFilter, { qos: 1 }, (error, granted) => {
      if (generation !== this.generation) return; // an answer for a connection that is gone
      if (error) {
        retry(`failed: ${error.message}`);
        return;
      }
      const refused = (granted ?? []).find((grant) => grant.qos >= SUBACK_FAILURE);
      if (refused || !granted?.length) {
        retry(`refused by the broker (reason code ${refused?.qos ?? 'none'})`);
        return;
      }
      this.subscribedGeneration = generation;
    });
  }

  private handle(client: MqttClient, packet: IPublishPacket, callback: (error?: Error) => void): void {
    const { messageId, qos } = packet;
    const generation = this.generation;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    const side = this.options.side;
    if (side && packet.topic.startsWith('$')) {
      // `$` topics never match the telemetry filter (MQTT 4.7.2): they can only be the side subscription's.
      callback();
      side.onMessage(packet.topic, payload);
      return;
    }
    this.lastMessageAt = Date.now();
    this.deliveringGeneration = generation;
    if (qos === 0 || messageId === undefined) {
      callback();
      this.onMessage(packet.topic, payload, () => undefined);
      return;
    }
    callback(DEFERRED);
    this.onMessage(packet.topic, payload, () => {
      if (generation !== this.generation || !client.connected) return; // the broker will resend it
      this.corkUntilNextTick(client);
      (client as unknown as PubackSender)._sendPacket({ cmd: 'puback', messageId });
    });
  }

  /**
   * A committed batch acknowledges thousands of messages in one synchronous loop; corking the socket
   * turns those PUBACKs into one write instead of one system call each.
   */
  private corkUntilNextTick(client: MqttClient): void {
    const stream = client.stream;
    if (this.corked || !stream) return;
    this.corked = true;
    stream.cork();
    process.nextTick(() => {
      this.corked = false;
      stream.uncork();
    });
  }
}

/**
 * A CONNACK refusal: mqtt.js's ErrorWithReasonCode (not exported) carries the broker's numeric reason code; a
 * socket error's code is a string (ECONNREFUSED) and a connack timeout has none.
 */
function isConnackRefusal(error: Error): boolean {
  return typeof (error as Error & { code?: unknown }).code === 'number';
}
