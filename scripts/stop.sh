#!/usr/bin/env bash
# `npm run stop`: stops the apps started by `npm start` (not Postgres, Redis or the broker).
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARHEALTH_STATE="${CARHEALTH_STATE:-/var/tmp/carhealth-$(printf '%s' "$PROJECT_DIR" | md5sum | cut -c1-10)}"
for app in simulator api ingestion worker mail-sink; do
  pid_file="$CARHEALTH_STATE/run/$app.pid"
  [ -f "$pid_file" ] || continue
  pid="$(cat "$pid_file")"
  if kill -TERM "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    echo "stopped $app"
  fi
  rm -f "$pid_file"
done
