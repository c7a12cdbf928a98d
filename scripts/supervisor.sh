#!/usr/bin/env bash
# The process supervisor of `npm start` (pm2, apps declared in scripts/pm2.config.cjs). Source it after
# CARHEALTH_STATE is known. Used by start.sh, stop.sh and status.sh.
#
# pm2 keeps its daemon, socket and dump in PM2_HOME: one per checkout, inside its state folder, so two
# checkouts on one machine never see (or stop) each other's apps. pm2 signals the apps it spawned itself (it
# holds them as children, not through pid files); the only pid files we read are checked against the command
# line of the process they name before anything is signalled.

SUPERVISOR_PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PM2_HOME="$CARHEALTH_STATE/pm2"
SUPERVISOR_APPS=(mail-sink api ingestion worker simulator)

# pm2 <args>: the project's pm2 (package.json), never a global one of another version.
pm2() { node "$SUPERVISOR_PROJECT_DIR/node_modules/pm2/bin/pm2" "$@"; }

# Quiet pm2 call: its output goes to the state folder's log, shown only when the call fails.
pm2_quiet() {
  local out="$CARHEALTH_STATE/logs/pm2-cli.log"
  mkdir -p "$CARHEALTH_STATE/logs"
  if ! pm2 "$@" >>"$out" 2>&1; then
    echo "[supervisor] pm2 $* failed; last lines of $out:" >&2
    tail -n 20 "$out" >&2
    return 1
  fi
}

# Whether this checkout's pm2 daemon runs: its pid file names a live process whose command line is pm2's
# daemon for this very PM2_HOME (a recycled pid, or another checkout's daemon, does not count).
# (grep reads to the end here, not -q: under pipefail, tr killed by SIGPIPE would turn a match into a failure.)
supervisor_running() {
  local pid
  [ -s "$PM2_HOME/pm2.pid" ] || return 1
  pid="$(cat "$PM2_HOME/pm2.pid")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -E '^PM2 v[0-9.]+: God Daemon' >/dev/null || return 1
  # The title is cut to the length of the original command line, so the home is checked in its environment.
  tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -xF "PM2_HOME=$PM2_HOME" >/dev/null
}

# app_states: one line per app the daemon knows, "name status pid restarts uptime_seconds port".
# Prints nothing (and never starts a daemon) when this checkout's daemon is not running.
app_states() {
  supervisor_running || return 0
  pm2 jlist 2>/dev/null | node -e '
    let raw = "";
    process.stdin.on("data", (chunk) => (raw += chunk)).on("end", () => {
      const list = JSON.parse(raw.slice(raw.indexOf("[")));
      for (const p of list) {
        const env = p.pm2_env;
        const up = env.status === "online" ? Math.round((Date.now() - env.pm_uptime) / 1000) : 0;
        console.log([p.name, env.status.replace(/ /g, "-"), p.pid || "-", env.restart_time, up, env.PORT || "-"].join(" "));
      }
    });'
}

# app_status <name>: online, stopped, errored, launching, waiting-restart, ... or absent.
app_status() {
  local line
  line="$(app_states | awk -v n="$1" '$1 == n { print $2; exit }')"
  echo "${line:-absent}"
}

# legacy_pid_of <app>: the pid of an app an older `npm start` ran with nohup and a pid file, if it still runs
# as that app of this checkout (command line and working directory checked).
legacy_pid_of() {
  local file="$CARHEALTH_STATE/run/$1.pid" pid
  [ -s "$file" ] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -F "dist/apps/$1/src/main.js" >/dev/null || return 1
  [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$SUPERVISOR_PROJECT_DIR" ] || return 1
  echo "$pid"
}

# stop_legacy_apps: stops what an older `npm start` left running without a supervisor, then forgets the pid
# files. A pid file whose process is gone or is something else now is removed without signalling anything.
stop_legacy_apps() {
  local app pid
  for app in "${SUPERVISOR_APPS[@]}"; do
    if pid="$(legacy_pid_of "$app")"; then
      echo "[supervisor] stopping $app (pid $pid, started without the supervisor)" >&2
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      # Still the same process after 30 s (checked again: the pid may have been reused meanwhile).
      if legacy_pid_of "$app" >/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    rm -f "$CARHEALTH_STATE/run/$app.pid"
  done
}

# supervised_pids_of <app>: processes of that app started by this checkout's supervisor (command line and the
# PM2_HOME in their environment checked), whether or not the daemon still runs.
supervised_pids_of() {
  local pid
  # pgrep narrows the candidates by command line; each is then checked exactly (a dot in the path is a regex
  # wildcard to pgrep), and by the PM2_HOME pm2 gives its apps.
  for pid in $(pgrep -f -- "$SUPERVISOR_PROJECT_DIR/dist/apps/$1/src/main.js" || true); do
    tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -F "$SUPERVISOR_PROJECT_DIR/dist/apps/$1/src/main.js" >/dev/null || continue
    tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -xF "PM2_HOME=$PM2_HOME" >/dev/null || continue
    echo "$pid"
  done
}

# stop_orphaned_apps: when the daemon died (say, killed by the OOM killer), its apps keep running unsupervised
# and would hold the ports (and the broker client ids) of the apps a new daemon starts: stop them first.
stop_orphaned_apps() {
  local app pid
  supervisor_running && return 0
  for app in "${SUPERVISOR_APPS[@]}"; do
    for pid in $(supervised_pids_of "$app"); do
      echo "[supervisor] stopping $app (pid $pid), left running by a supervisor that is gone" >&2
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      if supervised_pids_of "$app" | grep -x "$pid" >/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
  done
}

# print_app_states: a table of the apps for people (the start banner, `npm run status`).
print_app_states() {
  local states; states="$(app_states)"
  if [ -z "$states" ]; then
    local app pids orphans=0
    for app in "${SUPERVISOR_APPS[@]}"; do
      pids="$(supervised_pids_of "$app" | tr '\n' ' ')"
      if [ -n "$pids" ]; then echo "  $app running WITHOUT its supervisor (pid $pids)"; orphans=1; fi
    done
    if [ "$orphans" = 1 ]; then
      echo "  the supervisor of this checkout is gone: npm start stops these and starts them supervised again"
    else
      echo "  no app is running (the supervisor of this checkout is not running; start with: npm start)"
    fi
    return
  fi
  printf '  %-12s %-16s %-8s %-9s %s\n' APP STATE PID RESTARTS UPTIME
  while read -r name status pid restarts up _port; do
    printf '  %-12s %-16s %-8s %-9s %ss\n' "$name" "$status" "$pid" "$restarts" "$up"
  done <<<"$states"
}
