export * from './generated/prisma/client.js';
export * from './prisma.service.js';
export * from './database.module.js';
export * from './migrations/migration-runner.js';
