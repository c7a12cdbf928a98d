import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, type IngestionConfig, ingestionClientId } from '#app/config';
import { IngestMetricsRecorder } from '#app/observability';
import { RedisConnection, ScoringProducer } from '#app/queue';
import { startEmbeddedBroker } from '../broker/embedded-broker.js';
import { BROKER_PUBLISHES_TOPIC, IngestionStatusReporter } from '../health/ingestion-status.reporter.js';
import { TelemetryIngestPipeline } from '../pipeline/telemetry-ingest.pipeline.js';
import { DeferredAckMqttClient } from './deferred-ack.client.js';

/**
 * Owns the broker connections of this replica. Several connections in one shared-subscription group
 * spread the load (and replicas in other processes join the same group); every connection feeds the
 * same group-commit pipeline.
 */
/** Shutdown waits this long for the last commits (compose's stop_grace_period is 30 s). */
const DRAIN_TIMEOUT_MS = 20_000;

/** The device contract's topic, as a subscription filter. */
const TELEMETRY_TOPIC_FILTER = 'vehicles/+/telemetry';

@Injectable()
export class MqttIngestionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MqttIngestionService.name);
  private readonly clients: DeferredAckMqttClient[] = [];
  private embeddedBroker: { close(): Promise<void> } | undefined;
  private accepting = true;
  private received = 0;
  private readonly status: IngestionStatusReporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: IngestionConfig,
    private readonly pipeline: TelemetryIngestPipeline,
    private readonly metrics: IngestMetricsRecorder,
    private readonly scoring: ScoringProducer,
    redis: RedisConnection,
  ) {
    const { ingestion, queuePrefix } = config;
    this.status = new IngestionStatusReporter(
      redis.client,
      { connections: () => this.clients.map((client) => client.status()), received: () => this.received },
      { replica: ingestion.clientId, prefix: queuePrefix, intervalMs: ingestion.statusIntervalMs, stallWindowMs: ingestion.stallWindowMs },
      (line) => this.logger.error(line),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const { mqtt, ingestion } = this.config;
    this.metrics.start();
    if (mqtt.embeddedBroker) {
      const port = Number(new URL(mqtt.url).port || 1883);
      this.embeddedBroker = await startEmbeddedBroker(port);
      this.logger.warn(`no MQTT broker available: embedded Aedes listening on ${port} (MQTT 3.1.1, one connection)`);
    }
    // Aedes neither speaks MQTT 5 nor delivers $share subscriptions.
    const shared = !mqtt.embeddedBroker && mqtt.shareGroup !== '';
    const topicFilter = shared ? `$share/${mqtt.shareGroup}/${TELEMETRY_TOPIC_FILTER}` : TELEMETRY_TOPIC_FILTER;
    const connections = shared ? ingestion.connections : 1;
    for (let index = 0; index < connections; index += 1) {
      const client = new DeferredAckMqttClient(
        mqtt.url,
        {
          clientId: ingestionClientId(ingestion, index),
          topicFilter,
          protocolVersion: mqtt.embeddedBroker ? 4 : 5,
          receiveMaximum: ingestion.maxInflight,
          reconnectPeriodMs: ingestion.reconnectMs,
          // The broker's publish counter, on one connection: what the stall check compares our traffic with.
          side: index === 0 ? { filter: BROKER_PUBLISHES_TOPIC, onMessage: (_topic, payload) => this.status.onBrokerStat(payload) } : undefined,
        },
        (topic, payload, ack) => {
          this.received += 1;
          // Once shutdown began, a message is left unacknowledged: the broker keeps it for our next session.
          if (this.accepting) this.pipeline.accept({ topic, payload, receivedAt: new Date(), ack });
        },
        (message) => this.logger.warn(message),
      );
      await client.connect();
      this.clients.push(client);
    }
    this.status.start();
    this.logger.log(`ingesting ${topicFilter} over ${connections} connection(s) from ${mqtt.url}`);
  }

  /**
   * Stop taking messages, commit and acknowledge everything already taken (the connections stay open
   * for the acks), then disconnect. Never unsubscribe: the persistent session must keep collecting.
   * One hook does it all because Nest runs the hooks of one module's providers concurrently.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.accepting = false;
    await this.status.stop();
    this.logger.log(`draining ${this.pipeline.waiting} message(s)`);
    const left = await this.pipeline.drain(DRAIN_TIMEOUT_MS);
    if (left > 0) this.logger.warn(`${left} message(s) not committed in time: left unacknowledged for redelivery`);
    await Promise.all(this.clients.map((client) => client.close()));
    await this.embeddedBroker?.close();
    // In this order, before the Redis connection closes (onApplicationShutdown).
    await this.metrics.stop();
    await this.scoring.close();
  }
}
