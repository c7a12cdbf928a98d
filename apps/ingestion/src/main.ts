import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { APP_CONFIG, type IngestionConfig } from '#app/config';
import { DeviceStatusModule } from './device-status/device-status.module.js';
import { deviceStatusTransport } from './device-status/device-status.transport.js';
import { IngestionModule } from './ingestion.module.js';

const app = await NestFactory.createApplicationContext(IngestionModule, { bufferLogs: false });
app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
await app.init();

// The device-status listener, after ingestion's start (which may have started the embedded broker). A context of
// its own in this process rather than a new app to deploy: it shares ingestion's broker, database and config.
// It gets no shutdown hooks of its own: two contexts re-raising the signal would end the process while
// ingestion still drains its commits. It is closed alongside, and losing it mid-message loses nothing the
// retained topic does not replay.
const config = app.get<IngestionConfig>(APP_CONFIG);
if (config.ingestion.source === 'mqtt') {
  const statusListener = await NestFactory.createMicroservice<MicroserviceOptions>(DeviceStatusModule, deviceStatusTransport(config));
  await statusListener.listen();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void statusListener.close());
} else {
  // The listener speaks MQTT 5 to MQTT_URL; the NATS tier's listener is MQTT 3.1.1 (issue 13: not wired yet).
  Logger.warn('device presence (vehicles/+/status) is not read with INGESTION_SOURCE=nats', 'Ingestion');
}
Logger.log('ingestion ready', 'Ingestion');
