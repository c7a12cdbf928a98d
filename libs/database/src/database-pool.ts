import type { OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';

/** A pg pool for hot paths that Prisma cannot serve fast enough (bulk telemetry). Closed with the app. */
export class DatabasePool extends pg.Pool implements OnApplicationShutdown {
  constructor(connectionString: string, max: number) {
    super({ connectionString, max, allowExitOnIdle: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.end();
  }
}
