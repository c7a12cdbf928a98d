import { type INestApplication, RequestMethod } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware.js';
import { MetricsService } from './metrics/metrics.service.js';

export const API_PREFIX = 'api/v1';

/** Everything main.ts and the e2e tests both need on top of the module graph. */
export function setUpApp(app: INestApplication): INestApplication {
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  // Probes and scrapers use fixed, unversioned paths.
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/{*rest}', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.enableShutdownHooks();

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
