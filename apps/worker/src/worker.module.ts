import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { RedisConnection, ScoringProducer } from '#app/queue';
import { maintenanceModelsProvider } from './scoring/maintenance-models.provider.js';
import { PredictionStore } from './scoring/prediction.store.js';
import { ScoreReconcilerService } from './scoring/score-reconciler.service.js';
import { ScoringProcessor } from './scoring/scoring.processor.js';
import { VehicleHistoryLoader } from './scoring/vehicle-history.loader.js';
import { VehicleScoringService } from './scoring/vehicle-scoring.service.js';

@Module({
  imports: [ConfigModule, DatabaseModule],
  providers: [
    { provide: RedisConnection, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new RedisConnection(config.redisUrl) },
    {
      provide: ScoringProducer,
      inject: [RedisConnection, APP_CONFIG],
      useFactory: (redis: RedisConnection, config: AppConfig) =>
        new ScoringProducer(redis, config.queuePrefix, config.scoring.debounceMs),
    },
    maintenanceModelsProvider,
    VehicleHistoryLoader,
    PredictionStore,
    VehicleScoringService,
    ScoreReconcilerService,
    ScoringProcessor,
  ],
})
export class WorkerModule {}
