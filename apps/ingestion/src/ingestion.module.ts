import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, ConfigModule, type IngestionConfig, loadIngestionConfig } from '#app/config';
import { DatabasePool, TelemetryBatchWriter, VehicleDirectory } from '#app/database';
import { IngestMetricsRecorder } from '#app/observability';
import { RedisConnection, ScoringProducer } from '#app/queue';
import { MqttIngestionService } from './mqtt/mqtt-ingestion.service.js';
import { NatsIngestionService } from './nats/nats-ingestion.service.js';
import { TelemetryIngestPipeline } from './pipeline/telemetry-ingest.pipeline.js';

@Module({
  imports: [ConfigModule.forRoot(loadIngestionConfig)],
  providers: [
    {
      provide: DatabasePool,
      inject: [APP_CONFIG],
      // Two connections: one batch commits while lookups of new VINs use the other.
      useFactory: (config: IngestionConfig) => new DatabasePool(config.databaseUrl, 3, (line) => new Logger(DatabasePool.name).warn(line)),
    },
    { provide: RedisConnection, inject: [APP_CONFIG], useFactory: (config: IngestionConfig) => new RedisConnection(config) },
    { provide: TelemetryBatchWriter, inject: [DatabasePool], useFactory: (pool: DatabasePool) => new TelemetryBatchWriter(pool) },
    { provide: VehicleDirectory, inject: [DatabasePool], useFactory: (pool: DatabasePool) => new VehicleDirectory(pool) },
    {
      provide: ScoringProducer,
      inject: [RedisConnection, APP_CONFIG],
      useFactory: (redis: RedisConnection, config: IngestionConfig) =>
        new ScoringProducer(redis.client, config.queuePrefix, config.scoring.debounceMs, (line) => new Logger(ScoringProducer.name).warn(line)),
    },
    {
      provide: IngestMetricsRecorder,
      inject: [RedisConnection, APP_CONFIG],
      useFactory: (redis: RedisConnection, config: IngestionConfig) => new IngestMetricsRecorder(redis.client, config.queuePrefix),
    },
    {
      provide: TelemetryIngestPipeline,
      inject: [TelemetryBatchWriter, VehicleDirectory, ScoringProducer, IngestMetricsRecorder, APP_CONFIG],
      useFactory: (
        writer: TelemetryBatchWriter,
        directory: VehicleDirectory,
        scoring: ScoringProducer,
        metrics: IngestMetricsRecorder,
        config: IngestionConfig,
      ) =>
        new TelemetryIngestPipeline(writer, directory, scoring, metrics, new Logger(TelemetryIngestPipeline.name), {
          batchMax: config.ingestion.batchMax,
          flushMs: config.ingestion.flushMs,
          scoreDebounceMs: config.scoring.debounceMs,
          scoreIntervalMs: config.scoring.intervalMs,
          scorePromptGapMs: config.scoring.promptGapMs,
        }),
    },
    {
      // One source per process, chosen by INGESTION_SOURCE: the MQTT broker (default) or the NATS tier's stream.
      // Nest runs the lifecycle hooks of the instance the factory returns.
      provide: 'INGESTION_SOURCE',
      inject: [APP_CONFIG, TelemetryIngestPipeline, IngestMetricsRecorder, ScoringProducer, RedisConnection],
      useFactory: (
        config: IngestionConfig,
        pipeline: TelemetryIngestPipeline,
        metrics: IngestMetricsRecorder,
        scoring: ScoringProducer,
        redis: RedisConnection,
      ) =>
        config.ingestion.source === 'nats'
          ? new NatsIngestionService(config, pipeline, metrics, scoring, redis)
          : new MqttIngestionService(config, pipeline, metrics, scoring, redis),
    },
  ],
})
export class IngestionModule {}
