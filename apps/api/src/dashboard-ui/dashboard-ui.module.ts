import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { resolvePublicDir } from './public-dir.resolver.js';
import { createStaticFileHandler } from './static-file.handler.js';

/** Where the staff dashboard is served: outside the versioned API prefix, like /docs. */
export const DASHBOARD_UI_PATH = '/dashboard';

/**
 * Serves the service-center dashboard (apps/api/public) at /dashboard.
 *
 * Mounted on the HTTP adapter rather than as a controller: a controller would sit under the global
 * /api/v1 prefix (next to the dashboard API) and behind the JWT guard. Plain static files carry no
 * data; the page logs in and every API call it makes still needs the bearer token.
 * Registered in onModuleInit, after Nest's routes and before its 404 handler.
 */
@Module({})
export class DashboardUiModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const publicDir = resolvePublicDir();
    this.adapterHost.httpAdapter.use(DASHBOARD_UI_PATH, createStaticFileHandler(publicDir));
    new Logger('dashboard-ui').log(`serving ${publicDir} at ${DASHBOARD_UI_PATH}`);
  }
}
