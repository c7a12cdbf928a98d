import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ECHARTS_DIR_FROM_ROOT, OWNER_APP_DIR_FROM_ROOT, PUBLIC_DIR_FROM_ROOT, resolvePublicDir } from './public-dir.resolver.js';
import { createStaticFileHandler, type StaticFileHandlerOptions } from './static-file.handler.js';

/** Where the staff dashboard is served: outside the versioned API prefix, like /docs. */
export const DASHBOARD_UI_PATH = '/dashboard';

/** Where the owner web app (a PWA whose service worker has the scope /app/) is served. */
export const OWNER_APP_PATH = '/app';

/** Where the charting library both pages share is served (its dist folder: .js files only are served). */
export const ECHARTS_PATH = '/vendor/echarts';

interface StaticMount {
  path: string;
  dirFromRoot: string;
  options: StaticFileHandlerOptions;
}

const MOUNTS: readonly StaticMount[] = [
  { path: DASHBOARD_UI_PATH, dirFromRoot: PUBLIC_DIR_FROM_ROOT, options: {} },
  // '/app' itself would lie outside the service worker's scope '/app/' (and the manifest's): redirect.
  { path: OWNER_APP_PATH, dirFromRoot: OWNER_APP_DIR_FROM_ROOT, options: { redirectBareMount: OWNER_APP_PATH } },
  { path: ECHARTS_PATH, dirFromRoot: ECHARTS_DIR_FROM_ROOT, options: {} },
];

/**
 * Serves the service-center dashboard (apps/api/public) at /dashboard and the owner web app
 * (apps/api/owner-app) at /app.
 *
 * Mounted on the HTTP adapter rather than as a controller: a controller would sit under the global
 * /api/v1 prefix (next to the dashboard API) and behind the JWT guard. Plain static files carry no
 * data; the pages log in and every API call they make still needs the bearer token.
 * Registered in onModuleInit, after Nest's routes and before its 404 handler.
 */
@Module({})
export class DashboardUiModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const logger = new Logger('dashboard-ui');
    for (const mount of MOUNTS) {
      const dir = resolvePublicDir(import.meta.url, mount.dirFromRoot);
      this.adapterHost.httpAdapter.use(mount.path, createStaticFileHandler(dir, mount.options));
      logger.log(`serving ${dir} at ${mount.path}`);
    }
  }
}
