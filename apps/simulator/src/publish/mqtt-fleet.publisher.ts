import { deviceStatusPayloads, deviceStatusTopic, type TelemetrySample } from '#app/telemetry';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { DeviceLogin } from './device-logins.reader.js';
import { PublishStats } from './publish-stats.js';
import { type SamplePublisher, telemetryPayload, telemetryTopic } from './sample-publisher.js';

export interface MqttFleetPublisherOptions {
  url: string;
  clients: number;
  clientIdPrefix: string;
  /** Unacknowledged messages allowed per connection; the producers wait beyond that (backpressure). */
  maxInFlightPerClient?: number;
  stats?: PublishStats;
  log?: (line: string) => void;
}

export interface DeviceFleetPublisherOptions {
  /** The broker's device listener. */
  url: string;
  /** One per car: the car's VIN is published with its own device's login only. */
  devices: readonly DeviceLogin[];
  /** Announced in each device's birth message. */
  firmware?: string;
  maxInFlightPerClient?: number;
  stats?: PublishStats;
  log?: (line: string) => void;
}

export interface ClusterDeviceFleetPublisherOptions extends Omit<DeviceFleetPublisherOptions, 'url'> {
  /** The broker cluster's MQTT listeners (host and port each). */
  nodes: readonly { readonly host: string; readonly port: number }[];
}

/**
 * Publishes device messages at QoS 1 over a few MQTT connections (vehicles spread by VIN), or as each car's
 * own device, one login and connection per car (connectAsDevices). A broker
 * hiccup never stops the run: mqtt.js reconnects and resends what was not acknowledged, failures are
 * counted, and the in-flight window makes the producers wait instead of piling up memory.
 */
export class MqttFleetPublisher implements SamplePublisher {
  readonly stats: PublishStats;
  private readonly waiting: (() => void)[][];
  private readonly inFlight: number[];
  private readonly maxInFlight: number;
  private readonly idle = new Set<() => void>();

  private constructor(
    private readonly clients: MqttClient[],
    options: Pick<MqttFleetPublisherOptions, 'maxInFlightPerClient' | 'stats' | 'log'>,
    /** VIN -> its device's connection; null: any connection may carry any VIN (the internal listener). */
    private readonly route: ReadonlyMap<string, number> | null = null,
  ) {
    this.stats = options.stats ?? new PublishStats();
    this.maxInFlight = options.maxInFlightPerClient ?? 500;
    this.waiting = clients.map(() => []);
    this.inFlight = clients.map(() => 0);
    const log = options.log ?? (() => undefined);
    clients.forEach((client, index) => {
      client.on('reconnect', () => this.stats.reconnects++);
      client.on('offline', () => log(`sim: connection ${index + 1} offline, reconnecting`));
      // Without a listener an 'error' event would crash the process; mqtt.js keeps reconnecting.
      client.on('error', (error) => log(`sim: connection ${index + 1}: ${error.message}`));
    });
  }

  static async connect(options: MqttFleetPublisherOptions): Promise<MqttFleetPublisher> {
    const clients = await Promise.all(
      Array.from({ length: options.clients }, (_, index) =>
        mqtt.connectAsync(options.url, {
          clientId: `${options.clientIdPrefix}-${index + 1}`,
          protocolVersion: 4,
          clean: true,
          reconnectPeriod: 1000,
          connectTimeout: 10_000,
        }),
      ),
    );
    return new MqttFleetPublisher(clients, options);
  }

  /**
   * Logs each car in as its device (username = client id = serial), as real devices connect. MQTT 5, so a
   * publish the ACL refuses comes back as PUBACK 0x87 and is counted as an error (MQTT 3.1.1 would acknowledge
   * and drop it silently). Rejects when any car cannot log in (listener down, refused login), closing the others,
   * so the caller can fall back as a whole; once connected, dropped connections are retried.
   */
  static async connectAsDevices(options: DeviceFleetPublisherOptions): Promise<MqttFleetPublisher> {
    return MqttFleetPublisher.connectDevices(options, () => ({ url: options.url, protocolVersion: 5 }));
  }

  /**
   * As connectAsDevices, on a broker cluster: car i logs in on node i mod n, and mqtt.js moves a lost connection to
   * the next node in its list (it resends what was not acknowledged there). MQTT 3.1.1, the version NATS's
   * listener speaks: a publish the ACL refuses is then acknowledged and dropped, not counted as an error.
   */
  static async connectAsDevicesToCluster(options: ClusterDeviceFleetPublisherOptions): Promise<MqttFleetPublisher> {
    const { nodes } = options;
    return MqttFleetPublisher.connectDevices(options, (index) => {
      const servers = nodes.map((_, offset) => nodes[(index + offset) % nodes.length]).map(({ host, port }) => ({ host, port }));
      // mqtt.js takes each (re)connection's host and port from `servers`, in turn, from the first.
      return { url: `mqtt://${servers[0].host}:${servers[0].port}`, servers, protocolVersion: 4 };
    });
  }

  private static async connectDevices(
    options: Omit<DeviceFleetPublisherOptions, 'url'>,
    endpointOf: (index: number) => { url: string; servers?: IClientOptions['servers']; protocolVersion: 4 | 5 },
  ): Promise<MqttFleetPublisher> {
    const attempts = await Promise.allSettled(
      options.devices.map((device, index) => {
        const { url, ...endpoint } = endpointOf(index);
        const connectOptions: IClientOptions = {
          ...endpoint,
          clientId: device.serial,
          username: device.serial,
          password: device.password,
          clean: true,
          reconnectPeriod: 1000,
          connectTimeout: 10_000,
          // The device contract's presence: the broker publishes this (retained) if the connection ends without
          // DISCONNECT, e.g. the simulator is killed, as a dongle pulled out of its socket would be.
          will: { topic: deviceStatusTopic(device.vin), payload: Buffer.from(deviceStatusPayloads.lastWill()), qos: 1, retain: true },
        };
        // fail on the first refused or closed attempt instead of retrying forever
        return mqtt.connectAsync(url, connectOptions, false);
      }),
    );
    const clients = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
    const failed = attempts.findIndex((attempt) => attempt.status === 'rejected');
    if (failed >= 0) {
      await Promise.all(clients.map((client) => client.endAsync(true)));
      const reason = (attempts[failed] as PromiseRejectedResult).reason as unknown;
      throw new Error(`device ${options.devices[failed].serial}: ${reason instanceof Error ? reason.message : String(reason)}`);
    }
    const route = new Map(options.devices.map((device, index) => [device.vin, index]));
    const publisher = new MqttFleetPublisher(clients, options, route);
    // The birth, on every (re)connect: a reconnect after a lost connection follows the broker's last will.
    clients.forEach((client, index) => {
      const vin = options.devices[index]?.vin;
      if (vin === undefined) return;
      const birth = (): void =>
        void client
          .publishAsync(deviceStatusTopic(vin), deviceStatusPayloads.birth(new Date(), options.firmware), { qos: 1, retain: true })
          .catch(() => {
            publisher.stats.errors++;
          });
      birth();
      client.on('connect', birth);
    });
    return publisher;
  }

  async send(vin: string, samples: readonly TelemetrySample[]): Promise<void> {
    const index = this.clientIndex(vin);
    while (this.inFlight[index] >= this.maxInFlight) await new Promise<void>((resolve) => this.waiting[index].push(resolve));
    this.inFlight[index]++;
    this.stats.inFlight++;
    this.clients[index].publishAsync(telemetryTopic(vin), telemetryPayload(samples), { qos: 1 }).then(
      () => {
        this.stats.messages++;
        this.stats.samples += samples.length;
        this.release(index);
      },
      () => {
        this.stats.errors++;
        this.release(index);
      },
    );
  }

  /** Waits (up to `timeoutMs`) for every in-flight message to be acknowledged, then disconnects. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.stats.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.idle.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.idle.add(done);
      });
    }
    const force = this.stats.inFlight > 0;
    this.stats.errors += this.stats.inFlight;
    if (this.route !== null) await this.sayGoodbye();
    await Promise.all(this.clients.map((client) => client.endAsync(force)));
  }

  /** Each device's clean shutdown word, before its DISCONNECT (which cancels its last will). */
  private async sayGoodbye(): Promise<void> {
    await Promise.all(
      [...(this.route ?? new Map<string, number>())].map(async ([vin, index]) => {
        const client = this.clients[index];
        if (client === undefined || !client.connected) return;
        await client.publishAsync(deviceStatusTopic(vin), deviceStatusPayloads.cleanShutdown(), { qos: 1, retain: true }).catch(() => {
          this.stats.errors++;
        });
      }),
    );
  }

  private release(index: number): void {
    this.inFlight[index]--;
    this.stats.inFlight--;
    this.waiting[index].shift()?.();
    if (this.stats.inFlight === 0) for (const done of [...this.idle]) done();
  }

  private clientIndex(vin: string): number {
    if (this.route !== null) {
      const index = this.route.get(vin);
      if (index === undefined) throw new Error(`no device connection for ${vin}`);
      return index;
    }
    let hash = 0;
    for (let i = 0; i < vin.length; i++) hash = (hash * 31 + vin.charCodeAt(i)) >>> 0;
    return hash % this.clients.length;
  }
}
