#!/usr/bin/env bash
# `npm run stop`: stops the apps started by `npm start` (not Postgres, Redis or the broker) and this checkout's
# supervisor daemon. Apps get SIGTERM and up to 30 s to finish what they hold (pm2.config.cjs kill_timeout).
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARHEALTH_STATE="${CARHEALTH_STATE:-/var/tmp/carhealth-$(printf '%s' "$PROJECT_DIR" | md5sum | cut -c1-10)}"
source "$PROJECT_DIR/scripts/supervisor.sh"

if supervisor_running; then
  while read -r name _rest; do
    [ -n "$name" ] && echo "stopping $name"
  done <<<"$(app_states)"
  pm2_quiet delete all || true
  pm2_quiet kill
  echo "stopped (supervisor of $CARHEALTH_STATE)"
elif [ -e "$PM2_HOME/pm2.pid" ]; then
  # A pid file with no daemon of ours behind it: forget it rather than let anything signal that pid.
  rm -f "$PM2_HOME/pm2.pid"
fi
# Apps an older `npm start` ran without the supervisor (pid files checked against their command lines), and
# apps a dead supervisor daemon left behind.
stop_legacy_apps
stop_orphaned_apps
