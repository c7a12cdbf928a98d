import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadApiConfig } from '#app/config';
import { AppModule } from './app.module.js';
import { setUpApp } from './app.setup.js';

// Validate the environment before building anything: a bad variable stops start-up with its name.
const config = loadApiConfig();
const app = setUpApp(await NestFactory.create(AppModule, { bufferLogs: false }));
await app.startAllMicroservices();
// Loopback unless HOST says otherwise: a demo on a laptop is not published to its network by accident.
await app.listen(config.api.port, config.api.host);
new Logger('api').log(`listening on ${config.api.host}:${config.api.port} (docs at /docs)`);
