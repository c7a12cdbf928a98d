#!/usr/bin/env bash
# Everything `npm start` and `npm test` need before they run, idempotently, on a bare Debian machine with
# Node 20 and root: dependencies, Postgres/Redis/MQTT (scripts/infra.sh), the Prisma client, the build,
# and the migrations. Source it: it exports DATABASE_URL, REDIS_URL, MQTT_URL and CARHEALTH_STATE.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then echo "Node.js 20 or newer is required (found $(node -v))" >&2; exit 1; fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

source scripts/infra.sh
source scripts/secrets.sh

# The machine's broker may be another checkout's (infra.sh shares it). Its device logins are rendered from that
# checkout's database; rendering them from ours (a database of our own, scripts/database-owner.sh) would log
# that checkout's devices out. So only a broker of this checkout gets its files written, unless the database is
# shared on purpose.
if [ -n "${MQTT_DEVICE_PASSWORD_FILE:-}" ] && [[ "$MQTT_DEVICE_PASSWORD_FILE" != "$CARHEALTH_STATE/"* ]] \
  && [ "${CARHEALTH_DB_SHARED:-false}" != true ]; then
  echo "[setup] the MQTT broker is another checkout's (${MQTT_DEVICE_PASSWORD_FILE%/mosquitto/*}): its device logins are left to it" >&2
  unset MQTT_DEVICE_PASSWORD_FILE MQTT_DEVICE_ACL_FILE MQTT_BROKER_PID_FILE
fi

generated=libs/database/src/generated/prisma/client.ts
if [ ! -f "$generated" ] || [ prisma/schema.prisma -nt "$generated" ]; then
  echo "[setup] prisma generate" >&2
  npx prisma generate >/dev/null
fi

# CARHEALTH_SKIP_BUILD=true: the caller built this very tree moments ago (test/cluster runs `npm run cluster` right
# after `npm test`'s own build; a second tsc run costs a minute or more on a loaded 2-core machine).
if [ "${CARHEALTH_SKIP_BUILD:-false}" = true ] && [ -f dist/apps/api/src/main.js ]; then
  echo "[setup] build skipped (CARHEALTH_SKIP_BUILD=true)" >&2
else
  echo "[setup] build" >&2
  npx tsc -p tsconfig.build.json
fi

node dist/libs/database/src/cli/migrate-deploy.js >&2
# The broker's device logins and ACL are rendered from the devices table (a broker just (re)started has empty files).
node dist/libs/broker-auth/src/cli/sync-broker-credentials.js >&2
