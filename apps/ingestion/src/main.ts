import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IngestionModule } from './ingestion.module.js';

const app = await NestFactory.createApplicationContext(IngestionModule, { bufferLogs: false });
app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
await app.init();
Logger.log('ingestion ready', 'Ingestion');
