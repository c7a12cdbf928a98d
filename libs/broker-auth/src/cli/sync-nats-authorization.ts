// Renders the NATS cluster's device logins from Postgres: `scripts/nats-cluster.sh sync <base-port> <dir>` runs it
// (with DATABASE_URL set) and then has every node re-read them.
import { loadDatabaseConfig } from '#app/config';
import { createPrismaClient } from '#app/database';
import { syncNatsAuthorization } from '../nats-authorization.sync.js';

const [clusterDir] = process.argv.slice(2);
if (clusterDir === undefined) {
  console.error('usage: sync-nats-authorization.js <cluster dir of scripts/nats-cluster.sh>');
  process.exit(2);
}
const config = loadDatabaseConfig();
const prisma = createPrismaClient(config.databaseUrl, 1);
try {
  const outcome = await syncNatsAuthorization(prisma, clusterDir);
  for (const { serial, reason } of outcome.skipped) console.warn(`[nats-auth] device ${serial} left out: ${reason}`);
  console.log(`[nats-auth] ${outcome.devices} active devices written to ${clusterDir}/auth.conf (${outcome.skipped.length} left out)`);
} finally {
  await prisma.$disconnect();
}
