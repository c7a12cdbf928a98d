#!/usr/bin/env bash
# `npm test`: the same set-up as `npm start`, then every test against real Postgres, Redis and MQTT.
# Tests use their own database (carhealth_test), Redis database 1 and queue prefix, so they never
# touch a running demo platform's data.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

# test/deploy validates docker-compose.yml with the compose CLI (no engine is needed for `config`).
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
  apt_install docker-compose || echo "[test] no compose CLI: the docker-compose test will fail" >&2
fi

ensure_database carhealth_test
export DATABASE_URL="${DATABASE_URL%/*}/carhealth_test"
export REDIS_URL="$(printf '%s' "$REDIS_URL" | sed -E 's#^(rediss?://[^/]+)(/[0-9]*)?$#\1/1#')"
export QUEUE_PREFIX=carhealth-test
export NODE_ENV=test
node dist/libs/database/src/cli/migrate-deploy.js >&2

NODE_OPTIONS=--experimental-vm-modules npx jest "$@"
