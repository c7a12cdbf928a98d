#!/usr/bin/env bash
# `npm test`: the same set-up as `npm start`, then every test against real Postgres, Redis and MQTT.
# Tests use their own database (the checkout's database name + `_test`: carhealth_test for the checkout that owns
# `carhealth`), Redis database 1 and queue prefix, so they never touch a running demo platform's data, nor
# another checkout's tests (scripts/database-owner.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

# test/deploy validates docker-compose.yml with the compose CLI (no engine is needed for `config`).
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt_install docker-compose || echo "[test] no compose CLI: the docker-compose test will fail" >&2
fi

# test/browser drives the owner app and the dashboard in Debian's headless Chromium (playwright-core has no
# browser of its own, and test tools' browser downloads do not reach this network).
if ! command -v chromium >/dev/null 2>&1; then
  apt_install chromium || echo "[test] no chromium: the browser tests will fail" >&2
fi

# test/nats-cluster starts 3-node NATS clusters (scripts/nats-cluster.sh) on nats-server 2.15.1, which
# scripts/nats-server.sh fetches once from Debian sid into /var/tmp/carhealth-tools (Debian 12's own 2.9.10
# acknowledged publishes before replicating them, trixie's 2.10.27 left nodes out of its meta group: see that script). Done here, before any test runs: a download
# inside a test's beforeAll would eat that hook's time limit. The script polls the nodes' health with curl.
command -v curl >/dev/null 2>&1 || apt_install curl || echo "[test] no curl: test/nats-cluster will fail" >&2
scripts/nats-server.sh >/dev/null || echo "[test] no nats-server 2.15.1: test/nats-cluster will fail" >&2

# test/devices builds the device listener's Mosquitto plugin for its scratch brokers (infra.sh installs the same
# packages only when it starts this checkout's own broker).
if ! command -v gcc >/dev/null 2>&1 || [ ! -e /usr/include/mosquitto_broker.h ] || [ ! -e /usr/include/mosquitto.h ]; then
  apt_install gcc libc6-dev mosquitto-dev libmosquitto-dev || echo "[test] cannot build the Mosquitto plugin: test/devices will fail" >&2
fi

# TEST_DB / TEST_REDIS_DB let two people run tests on one machine without sweeping each other's reminders
# (the worker tests deliver whatever is due in their whole database).
test_db="${TEST_DB:-${PG_DB:-carhealth}_test}"
[[ "$test_db" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "[test] TEST_DB must be a plain lower-case name" >&2; exit 2; }
ensure_database "$test_db"
export DATABASE_URL="${DATABASE_URL%/*}/$test_db"
export REDIS_URL="$(printf '%s' "$REDIS_URL" | sed -E "s#^(rediss?://[^/]+)(/[0-9]*)?\$#\\1/${TEST_REDIS_DB:-1}#")"
export QUEUE_PREFIX="${test_db//_/-}"
export NODE_ENV=test
node dist/libs/database/src/cli/migrate-deploy.js >&2
# The shared broker's device files belong to the demo's database (setup.sh / start.sh write them): no test may
# rewrite them from a test database. test/devices starts a private Mosquitto and points its API there.
unset MQTT_DEVICE_PASSWORD_FILE MQTT_DEVICE_ACL_FILE MQTT_BROKER_PID_FILE

NODE_OPTIONS=--experimental-vm-modules npx jest "$@"
