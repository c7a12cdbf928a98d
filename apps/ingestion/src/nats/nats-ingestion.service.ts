import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  AckPolicy,
  type Consumer,
  type ConsumerMessages,
  DeliverPolicy,
  jetstream,
  type JetStreamClient,
  type JetStreamManager,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  type JsMsg,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import {
  AuthorizationError,
  connect,
  type ConnectionOptions,
  delay,
  nanos,
  type NatsConnection,
  UserAuthenticationExpiredError,
} from '@nats-io/transport-node';
import type { IngestionConfig } from '#app/config';
import { type IngestMetricsRecorder, throttledLog } from '#app/observability';
import type { RedisConnection, ScoringProducer } from '#app/queue';
import { IngestionStatusReporter } from '../health/ingestion-status.reporter.js';
import type { TelemetryIngestPipeline } from '../pipeline/telemetry-ingest.pipeline.js';

/**
 * The stream NATS's MQTT listener stores every QoS 1 publish in (`$MQTT.msgs.<subject>`) BEFORE it sends the PUBACK,
 * replicated as `mqtt { stream_replicas }` says (3 in scripts/nats-cluster.sh), with interest retention: a message
 * stays until every consumer whose filter matches it acknowledged it. Reading telemetry from here, rather than from a
 * stream of our own capturing `vehicles.*.telemetry`, is what makes a PUBACK mean "on 2 of 3 nodes": a capture
 * stream receives the publish as plain NATS traffic, not acknowledged to anyone, and lost 3,725 of 5,044
 * acknowledged messages when its leader was killed (test/nats-cluster/ack-timing.e2e.ts; README "Broker cluster").
 * An internal name of the listener, not an API: checked in nats-server 2.10.27's and 2.15's server/mqtt.go
 * (mqttStreamName, mqttStreamSubjectPrefix and the stream's configuration are as in 2.9.10: file storage, interest
 * retention, mqtt.stream_replicas; the PUBACK still follows the store's answer); another version must be checked again.
 */
export const MQTT_MESSAGES_STREAM = '$MQTT_msgs';
const MQTT_MESSAGES_PREFIX = '$MQTT.msgs.';
/** The device contract's telemetry topic, `vehicles/+/telemetry`, as the listener stores it. */
export const MQTT_TELEMETRY_FILTER = `${MQTT_MESSAGES_PREFIX}vehicles.*.telemetry`;
const STREAM_REPLICAS = 3;
/** Shutdown waits this long for the last commits (as the MQTT source). */
const DRAIN_TIMEOUT_MS = 20_000;
/** Messages one replica asks for at a time: the shared consumer's max_ack_pending bounds all replicas together. */
const PULL_BATCH = 1_000;
/**
 * How long one pull request waits at the consumer (the client's default is 30 s, with a heartbeat every 15 s). A pull
 * request that never reached the consumer's leader (replicas started at once on a consumer being created, or a leader
 * moving after a node's death) is noticed only when two heartbeats were missed, and only then asked again: with the
 * default a replica pulled nothing for 30-60 s (test/nats-cluster/ingestion-start.e2e.ts: 2 of 4 rounds at
 * load 15, one replica of three pulling 30 s after the start). 5 s makes that 5-10 s, for one empty pull per 5 s while
 * a replica is idle.
 */
const PULL_EXPIRES_MS = 5_000;
const RETRY_MS = 1_000;

/**
 * Ingestion from the NATS broker tier: every replica pulls from ONE durable consumer of the MQTT listener's
 * replicated stream, so NATS hands each message to one replica at a time, and a message is acknowledged only after
 * the batch holding it committed (the same pipeline as the MQTT path). A replica that dies leaves its messages
 * unacknowledged: NATS gives them to another replica after `NATS_ACK_WAIT_MS`, and `(vehicle, seq)` keeps a
 * redelivered sample from being stored twice.
 */
export class NatsIngestionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NatsIngestionService.name);
  private connection: NatsConnection | undefined;
  private messages: ConsumerMessages | undefined;
  private accepting = true;
  private received = 0;
  private lastMessageAt: number | null = null;
  private readonly status: IngestionStatusReporter;

  constructor(
    private readonly config: IngestionConfig,
    private readonly pipeline: TelemetryIngestPipeline,
    private readonly metrics: IngestMetricsRecorder,
    private readonly scoring: ScoringProducer,
    redis: RedisConnection,
  ) {
    const { ingestion, queuePrefix } = config;
    this.status = new IngestionStatusReporter(
      redis.client,
      {
        // NATS publishes no counter like Mosquitto's $SYS one here: the stall check stays silent, the connection and
        // the consumer's state are still reported.
        connections: () => [
          {
            connected: this.connection !== undefined && !this.connection.isClosed(),
            subscribed: this.messages !== undefined,
            lastMessageAt: this.lastMessageAt,
          },
        ],
        received: () => this.received,
      },
      { replica: ingestion.clientId, prefix: queuePrefix, intervalMs: ingestion.statusIntervalMs, stallWindowMs: ingestion.stallWindowMs },
      (line) => this.logger.error(line),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const { nats, reconnectMs, clientId } = this.config.ingestion;
    this.metrics.start();
    const connection = await this.connectWhenReachable(
      {
        servers: [...nats.servers],
        ...(nats.user === undefined ? {} : { user: nats.user }),
        ...(nats.password === undefined ? {} : { pass: nats.password }),
        name: clientId,
        maxReconnectAttempts: -1,
        reconnectTimeWait: reconnectMs,
      },
      reconnectMs,
    );
    this.connection = connection;
    // What a PUBACK means was measured on 2.15.1 (and 2.10.27 before it: README "Broker cluster"); on 2.9.10 it did
    // not always mean replicated.
    const version = connection.info?.version ?? 'unknown';
    if (!version.startsWith('2.15.')) this.logger.warn(`nats-server ${version}: the broker tier was verified on 2.15.1 (and 2.10.27)`);
    void this.watch(connection);
    // No API check here: nodes just started may not have elected their JetStream leaders yet, and ensureConsumer waits
    // for that (its first request is the check).
    const manager = await jetstreamManager(connection, { checkAPI: false });
    const consumer = await this.ensureConsumer(manager, jetstream(connection));
    this.messages = await consumer.consume({
      max_messages: Math.min(PULL_BATCH, this.config.ingestion.maxInflight),
      expires: PULL_EXPIRES_MS,
      callback: (message) => this.take(message),
    });
    this.status.start();
    this.logger.log(
      `ingesting ${MQTT_TELEMETRY_FILTER} from ${MQTT_MESSAGES_STREAM} through durable consumer ${nats.consumer} on ${nats.servers.join(',')}`,
    );
  }

  /**
   * The first connection, waited for as long as it takes, as the client waits for a lost one: nodes that are down or not
   * answering yet (a cluster started at the same time as its apps) are tried again every `retryMs`. Only a server that
   * answers and refuses the login fails the start, so a misconfiguration stops the replica at once. Our loop, not the
   * client's `waitOnFirstConnect`, which retries a refused login forever too.
   */
  private async connectWhenReachable(options: ConnectionOptions, retryMs: number): Promise<NatsConnection> {
    const unreachable = throttledLog((line) => this.logger.warn(line), 10_000);
    for (;;) {
      try {
        return await connect(options);
      } catch (error) {
        if (error instanceof AuthorizationError || error instanceof UserAuthenticationExpiredError) throw error;
        unreachable(
          `nats ${String(options.servers)}: ${error instanceof Error ? error.message : String(error)}; retrying every ${String(retryMs)} ms`,
        );
        await delay(retryMs);
      }
    }
  }

  private take(message: JsMsg): void {
    this.received += 1;
    this.lastMessageAt = Date.now();
    // Once shutdown began a message is left unacknowledged: NATS gives it to another replica after the ack wait.
    if (!this.accepting) return;
    const topic = message.subject.slice(MQTT_MESSAGES_PREFIX.length).replaceAll('.', '/');
    this.pipeline.accept({ topic, payload: Buffer.from(message.data), receivedAt: new Date(), ack: () => message.ack() });
  }

  /**
   * The stream and the shared consumer, made if missing, before any device publishes: with interest retention a
   * publish that no consumer wants is acknowledged and dropped, so the consumer must exist first. The MQTT listener
   * creates the stream on its first connection with this same configuration and adopts one that exists. Every
   * replica runs this; creating an identical consumer again is a no-op for NATS.
   */
  private async ensureConsumer(manager: JetStreamManager, js: JetStreamClient): Promise<Consumer> {
    const { nats, maxInflight } = this.config.ingestion;
    for (;;) {
      try {
        await manager.streams.info(MQTT_MESSAGES_STREAM).catch(async (error: unknown) => {
          if (!(error instanceof JetStreamApiError) || error.code !== JetStreamApiCodes.StreamNotFound) throw error;
          await manager.streams.add({
            name: MQTT_MESSAGES_STREAM,
            subjects: [`${MQTT_MESSAGES_PREFIX}>`],
            storage: StorageType.File,
            retention: RetentionPolicy.Interest,
            num_replicas: STREAM_REPLICAS,
          });
        });
        await manager.consumers.add(MQTT_MESSAGES_STREAM, {
          durable_name: nats.consumer,
          filter_subject: MQTT_TELEMETRY_FILTER,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: nanos(nats.ackWaitMs),
          max_ack_pending: maxInflight,
        });
        return await js.consumers.get(MQTT_MESSAGES_STREAM, nats.consumer);
      } catch (error) {
        // Just after a node's death or the cluster's start the stream or meta group may be electing a leader: try again.
        this.logger.warn(`NATS stream/consumer not ready (${error instanceof Error ? error.message : String(error)}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async watch(connection: NatsConnection): Promise<void> {
    for await (const event of connection.status()) {
      if (event.type === 'disconnect' || event.type === 'reconnect') this.logger.warn(`NATS ${event.type}: ${event.server}`);
    }
  }

  /** As the MQTT source: stop taking, commit and acknowledge what was taken (the connection stays up), then close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.accepting = false;
    await this.status.stop();
    this.messages?.stop();
    this.logger.log(`draining ${this.pipeline.waiting} message(s)`);
    const left = await this.pipeline.drain(DRAIN_TIMEOUT_MS);
    if (left > 0) this.logger.warn(`${left} message(s) not committed in time: left unacknowledged for redelivery`);
    // flush: the acknowledgements just sent reach the server before the connection ends.
    await this.connection?.flush().catch(() => undefined);
    await this.connection?.close();
    await this.metrics.stop();
    await this.scoring.close();
  }
}
