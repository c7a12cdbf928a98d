import { type INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '#app/config';
import { liveEventsTransport } from '#app/queue';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { MetricsService } from './metrics/metrics.service.js';
import { securityHeaders } from './security/security-headers.middleware.js';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the e2e tests both need on top of the module graph. */
export function setUpApp(app: INestApplication): INestApplication {
  const config = app.get<AppConfig>(APP_CONFIG);
  const { trustProxyHops } = config.api;
  // Express under Nest's adapter, typed as far as this file uses it (getInstance() is `any`).
  const express = app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): unknown; disable(setting: string): unknown };
  // request.ip (rate limits, login protection) and request.secure (HSTS) are the client's, not the load
  // balancer's, behind that many proxies.
  if (trustProxyHops > 0) express.set('trust proxy', trustProxyHops);
  // Says nothing about the stack to a scanner (helmet removes it too, this stops Express adding it).
  express.disable('x-powered-by');
  // First: every answer carries the headers, errors and static pages included.
  app.use(securityHeaders());
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // Probes and scrapers use fixed, unversioned paths.
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/{*rest}', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableShutdownHooks();
  // Hybrid: the live events the worker and every replica emit on the Nest Redis transport reach this replica's
  // SSE streams (events/in-app-events.listener.ts). Started by startAllMicroservices(), before listening.
  app.connectMicroservice(liveEventsTransport(config));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Car Health API')
      .setDescription('Vehicles, telemetry and maintenance for owners and service-center staff.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  // UI at /docs, the JSON document at /docs-json.
  SwaggerModule.setup('docs', app, document);
  return app;
}
