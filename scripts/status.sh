#!/usr/bin/env bash
# `npm run status`: each app's state under this checkout's supervisor, and whether the API answers ready.
# Starts nothing. Exit status 0 when every app is online and the API is ready, 1 otherwise (for scripts).
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARHEALTH_STATE="${CARHEALTH_STATE:-/var/tmp/carhealth-$(printf '%s' "$PROJECT_DIR" | md5sum | cut -c1-10)}"
source "$PROJECT_DIR/scripts/supervisor.sh"

echo "Car Health apps of $PROJECT_DIR (state $CARHEALTH_STATE)"
print_app_states
states="$(app_states)"
healthy=1
for app in api ingestion worker; do
  grep -qE "^$app online " <<<"$states" || healthy=0
done
api_port="$(awk '$1 == "api" { print $6 }' <<<"$states")"
if [ -n "$api_port" ] && [ "$api_port" != - ]; then
  if ready="$(node -e "fetch('http://127.0.0.1:$api_port/health/ready').then(async (r) => { console.log(r.status); process.exit(r.ok ? 0 : 1); }, (e) => { console.log(e.cause?.code ?? e.message); process.exit(1); })")"; then
    echo "  API ready: http://127.0.0.1:$api_port/health/ready answered $ready"
  else
    echo "  API NOT ready: http://127.0.0.1:$api_port/health/ready answered $ready"
    healthy=0
  fi
fi
echo "  Logs: $CARHEALTH_STATE/logs/<app>.log"
[ "$healthy" = 1 ]
