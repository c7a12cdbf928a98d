import { Logger, Module } from '@nestjs/common';
import { APP_CONFIG, ConfigModule, type IngestionConfig, loadIngestionConfig } from '#app/config';
import { DatabasePool } from '#app/database';
import { deviceEventBusProvider } from './device-event-bus.provider.js';
import { DeviceStatusController } from './device-status.controller.js';
import { DeviceStatusRepository } from './device-status.repository.js';
import { DeviceStatusService } from './device-status.service.js';

/**
 * The device-status listener: a Nest microservice on the MQTT transport (at-most-once is right for presence,
 * which is last-write-wins and retained), next to ingestion's acknowledge-after-commit telemetry clients. It tells
 * the API's staff streams of each change on the Nest Redis transport.
 */
@Module({
  imports: [ConfigModule.forRoot(loadIngestionConfig)],
  controllers: [DeviceStatusController],
  providers: [
    {
      provide: DatabasePool,
      inject: [APP_CONFIG],
      // Status words are rare (a connect, a disconnect): one connection, apart from the telemetry writer's.
      useFactory: (config: IngestionConfig) => new DatabasePool(config.databaseUrl, 1, (line) => new Logger(DeviceStatusModule.name).warn(line)),
    },
    { provide: DeviceStatusRepository, inject: [DatabasePool], useFactory: (pool: DatabasePool) => new DeviceStatusRepository(pool) },
    deviceEventBusProvider,
    DeviceStatusService,
  ],
})
export class DeviceStatusModule {}
