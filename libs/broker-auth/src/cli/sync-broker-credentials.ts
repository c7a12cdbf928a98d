// Renders the broker's device password/ACL files from Postgres and reloads Mosquitto: run by scripts/setup.sh
// after the migrations, so a broker (re)started with empty files gets every active device back.
import { loadBrokerAuthConfig } from '#app/config';
import { createPrismaClient } from '#app/database';
import { BrokerCredentialsSync } from '../broker-credentials.sync.js';

const config = loadBrokerAuthConfig();
const prisma = createPrismaClient(config.databaseUrl, 1);
try {
  const outcome = await new BrokerCredentialsSync(prisma, config.brokerAuth.files).sync();
  console.log(
    outcome.managed
      ? `[broker-auth] ${outcome.devices} active devices written (${outcome.skipped} left out); ${outcome.reload}`
      : '[broker-auth] device logins are managed elsewhere',
  );
} finally {
  await prisma.$disconnect();
}
