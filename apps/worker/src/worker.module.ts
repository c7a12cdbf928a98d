import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, ConfigModule, loadWorkerConfig, type WorkerConfig } from '#app/config';
import { DatabaseModule } from '#app/database';
import { DeliveryProducer, RedisConnection, ScoringProducer } from '#app/queue';
import { deliveryChannelsProvider, inAppEventBusProvider } from './delivery/delivery-channels.provider.js';
import { NotificationDeliveryService } from './delivery/notification-delivery.service.js';
import { NotificationSweepService } from './delivery/notification-sweep.service.js';
import { NotificationProcessor } from './delivery/notification.processor.js';
import { ReminderNotifier } from './delivery/reminder.notifier.js';
import { ReminderEvaluationService } from './reminders/reminder-evaluation.service.js';
import { ReminderEventsPublisher } from './reminders/reminder-events.publisher.js';
import { maintenanceModelsProvider } from './scoring/maintenance-models.provider.js';
import { PredictionStore } from './scoring/prediction.store.js';
import { ScoreReconcilerService } from './scoring/score-reconciler.service.js';
import { DataRetentionService } from './retention/data-retention.service.js';
import { RetentionProcessor } from './retention/retention.processor.js';
import { RetentionRepository } from './retention/retention.repository.js';
import { ScoringProcessor } from './scoring/scoring.processor.js';
import { VehicleHistoryLoader } from './scoring/vehicle-history.loader.js';
import { VehicleScoringService } from './scoring/vehicle-scoring.service.js';

@Module({
  imports: [ConfigModule.forRoot(loadWorkerConfig), DatabaseModule],
  providers: [
    { provide: RedisConnection, inject: [APP_CONFIG], useFactory: (config: WorkerConfig) => new RedisConnection(config) },
    {
      provide: ScoringProducer,
      inject: [RedisConnection, APP_CONFIG],
      useFactory: (redis: RedisConnection, config: WorkerConfig) =>
        new ScoringProducer(redis.client, config.queuePrefix, config.scoring.debounceMs, (line) => new Logger(ScoringProducer.name).warn(line)),
    },
    maintenanceModelsProvider,
    VehicleHistoryLoader,
    PredictionStore,
    VehicleScoringService,
    ScoreReconcilerService,
    ScoringProcessor,
    {
      provide: DeliveryProducer,
      inject: [RedisConnection, APP_CONFIG],
      useFactory: (redis: RedisConnection, config: WorkerConfig) =>
        new DeliveryProducer(redis.client, config.queuePrefix, (line) => new Logger(DeliveryProducer.name).warn(line)),
    },
    inAppEventBusProvider,
    deliveryChannelsProvider,
    ReminderNotifier,
    ReminderEventsPublisher,
    ReminderEvaluationService,
    NotificationSweepService,
    NotificationDeliveryService,
    NotificationProcessor,
    DataRetentionService,
    RetentionRepository,
    RetentionProcessor,
  ],
})
export class WorkerModule {}
