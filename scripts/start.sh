#!/usr/bin/env bash
# `npm start`: the whole platform on this machine with its embedded defaults.
# Starts (or reuses) Postgres, Redis and an MQTT broker, migrates, seeds the demo service center and its cars'
# devices, starts api, ingestion and worker under a process supervisor (pm2: an app that exits is restarted
# with a growing delay, logs kept; a healthy running app is kept, any other restarted), runs a small simulated
# fleet that logs in as those devices, and prints where to look. `npm run stop` stops the apps, `npm run
# status` shows their state.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

# With a device listener of ours, each demo car gets a device; their logins go to the state folder (secrets,
# never git) and the broker's files are re-rendered. Re-running keeps working secrets (idempotent).
DEMO_DEVICES="$CARHEALTH_STATE/demo-devices.json"
if [ -n "${MQTT_DEVICE_PASSWORD_FILE:-}" ]; then
  node dist/prisma/seed.js --demo-devices "$DEMO_DEVICES"
  sim_login=(--devices-file "$DEMO_DEVICES")
else
  node dist/prisma/seed.js
  echo "[start] no device listener of ours (external broker or embedded Aedes): the demo cars publish on the internal listener"
  sim_login=()
fi

export PORT="${PORT:-3000}"
# Queues follow the database (scripts/database-owner.sh): checkouts sharing the machine's Redis must not take each
# other's jobs, whose vehicle ids only exist in their own database. `carhealth` keeps its old prefix.
if [ -z "${QUEUE_PREFIX:-}" ]; then queue_db="${PG_DB:-carhealth}"; export QUEUE_PREFIX="${queue_db//_/-}"; fi
# Loopback unless HOST says otherwise (libs/config's default too): the demo is not published to the network.
export HOST="${HOST:-127.0.0.1}"
# Reminder messages link to the owner app on this port (unless the deployment says where owners reach it).
export PUBLIC_APP_URL="${PUBLIC_APP_URL:-http://127.0.0.1:$PORT/app/}"
LOG_DIR="$CARHEALTH_STATE/logs"
mkdir -p "$LOG_DIR"
source scripts/supervisor.sh

api_ready() {
  node -e "fetch('http://127.0.0.1:$PORT/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}

# start_app <name>: (re)starts one app of scripts/pm2.config.cjs under the supervisor with this environment.
# Whatever state pm2 had for it (stopped, crash-looping with an older environment) is replaced.
start_app() {
  [ "$(app_status "$1")" = absent ] || pm2_quiet delete "$1"
  pm2_quiet start scripts/pm2.config.cjs --only "$1"
}

# Apps an older `npm start` ran with nohup and pid files, or that outlived a dead supervisor daemon, would hold
# the ports: stop them (each process checked to be ours before it is signalled).
stop_legacy_apps
stop_orphaned_apps

# The demo has no mail server: a local sink receives the reminder e-mails and keeps them as .eml files.
export SMTP_HOST="${SMTP_HOST:-127.0.0.1}" SMTP_PORT="${SMTP_PORT:-2525}"
export CARHEALTH_MAIL_DIR="$CARHEALTH_STATE/mail"
if [ "$SMTP_HOST" = 127.0.0.1 ] && [ "$(app_status mail-sink)" != online ] && ! port_open 127.0.0.1 "$SMTP_PORT"; then
  echo "[start] starting mail-sink"
  start_app mail-sink
fi
# Worker and API share the VAPID key pair (generated on first use): push subscriptions are bound to it.
export VAPID_KEY_FILE="${VAPID_KEY_FILE:-$CARHEALTH_STATE/vapid.json}"

# A healthy app is kept. An API that is up but not answering is half-started: replace it. An app that is
# not online (stopped, crash-looping, unknown to the supervisor) is started afresh with this environment.
if [ "$(app_status api)" = online ] && ! api_ready; then echo "[start] api is running but not ready: restarting it"; start_app api; fi
for app in api ingestion worker; do
  if [ "$(app_status "$app")" = online ]; then
    echo "[start] $app already running (pid $(pm2 pid "$app"))"
  else
    echo "[start] starting $app"
    start_app "$app"
  fi
done

for _ in $(seq 1 150); do api_ready && break; sleep 0.2; done
if ! api_ready; then
  echo "[start] the API did not become ready; see $LOG_DIR/api.log" >&2
  tail -n 30 "$LOG_DIR/api.log" >&2 || true
  exit 1
fi
# The API counts an ingestion that has not reported yet as unknown, not down; "running" below also means telemetry
# reaches storage: wait for ingestion's own report (every INGEST_STATUS_INTERVAL_MS, 5 s) to say so.
ingestion_up() {
  node -e "fetch('http://127.0.0.1:$PORT/health/ready').then((r) => r.json()).then((b) => process.exit(b.checks.ingestion.status === 'up' ? 0 : 1), () => process.exit(1))"
}
for _ in $(seq 1 120); do ingestion_up && break; sleep 0.5; done
if ! ingestion_up; then
  echo "[start] ingestion did not report receiving telemetry within a minute; see $LOG_DIR/ingestion.log and /health/ready" >&2
  tail -n 30 "$LOG_DIR/ingestion.log" >&2 || true
  exit 1
fi

# The demo fleet uploads 30 days of history first (as devices that were offline would; seqs are sample
# times, so a second `npm start` re-sends the same samples and they are stored once), two of the cars with
# a developing fault so the maintenance views have something to show, then keeps driving live. Each car logs
# in as its device (one connection per car); the simulator falls back to the internal listener, and logs it,
# when it cannot. Restarted on every `npm start`, like before.
CARHEALTH_SIMULATOR_ARGS="$(node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- \
  --vehicles 5 --interval 5000 --backfill-days 30 --batch 100 \
  --fault 2:coolant-drift:8 --fault 4:slow-leak:20 --drive-now "${sim_login[@]}")"
export CARHEALTH_SIMULATOR_ARGS
start_app simulator

if [ -n "${MQTT_DEVICE_PASSWORD_FILE:-}" ]; then
  device_mqtt="mqtt://127.0.0.1:$MQTT_DEVICE_PORT  (the demo cars' logins: $DEMO_DEVICES; README \"Device credentials\")"
else
  device_mqtt="logins managed by whoever runs the broker"
fi

cat <<INFO

  Car Health platform is running.
    API            http://127.0.0.1:$PORT/api/v1   (OpenAPI: http://127.0.0.1:$PORT/docs)
    Health         http://127.0.0.1:$PORT/health/ready
    Metrics        http://127.0.0.1:$PORT/metrics
    MQTT           $MQTT_URL  (topic vehicles/{vin}/telemetry, QoS 1)
    MQTT devices   $device_mqtt
    Postgres       $DATABASE_URL
    Redis          $REDIS_URL
    Dashboard      http://127.0.0.1:$PORT/dashboard   (staff login below)
    Owner app      http://127.0.0.1:$PORT/app/        (owner logins below)
    E-mails        $CARHEALTH_MAIL_DIR (the demo's local mail sink)
    Logs           $LOG_DIR/{api,ingestion,worker,simulator,mail-sink}.log
  Apps (supervised by pm2: restarted with a growing delay if they exit; state again with npm run status):
$(print_app_states)
  Demo logins: see README.md ("Demo logins"). A simulated fleet of 5 cars is publishing (as their devices when the device listener is ours)
  (30 days of history first; car 2 has a coolant drift and car 4 a slow leak developing).
  Stop with: npm run stop

INFO
