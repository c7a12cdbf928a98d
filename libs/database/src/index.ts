export * from './generated/prisma/client.js';
export * from './prisma.service.js';
export * from './database.module.js';
export * from './migrations/migration-runner.js';
export * from './telemetry/telemetry-batch.writer.js';
export * from './telemetry/vehicle-directory.js';
export * from './database-pool.js';
export * from './unique-violation.js';
