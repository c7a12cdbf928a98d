import { fileURLToPath } from 'node:url';
import { loadDatabaseConfig } from '#app/config';
import { applyMigrations } from '../migrations/migration-runner.js';

// dist/libs/database/src/cli -> project root
const projectRoot = fileURLToPath(new URL('../../../../../', import.meta.url));

const config = loadDatabaseConfig();
const outcome = await applyMigrations(config.databaseUrl, `${projectRoot}prisma/migrations`);
console.log(
  `[migrate] applied ${outcome.applied.length} (${outcome.applied.join(', ') || 'none'}), ` + `${outcome.alreadyApplied.length} already applied`,
);
