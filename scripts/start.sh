#!/usr/bin/env bash
# `npm start`: the whole platform on this machine with its embedded defaults.
# Starts (or reuses) Postgres, Redis and an MQTT broker, migrates, seeds the demo service center and its cars'
# devices, starts api, ingestion and worker in the background (restarting any that is not healthy), runs a
# small simulated fleet that logs in as those devices, and prints where to look. `npm run stop` stops the apps.
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
# Reminder messages link to the owner app on this port (unless the deployment says where owners reach it).
export PUBLIC_APP_URL="${PUBLIC_APP_URL:-http://127.0.0.1:$PORT/app/}"
RUN_DIR="$CARHEALTH_STATE/run"
LOG_DIR="$CARHEALTH_STATE/logs"
mkdir -p "$RUN_DIR" "$LOG_DIR"

alive() { [ -f "$RUN_DIR/$1.pid" ] && kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null; }

stop_app() {
  if alive "$1"; then
    local pid; pid="$(cat "$RUN_DIR/$1.pid")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$1.pid"
}

start_app() { # start_app <name> <script> [args...]
  local name="$1"; shift
  NO_COLOR=1 nohup node "$@" >>"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
}

api_ready() {
  node -e "fetch('http://127.0.0.1:$PORT/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
}

# The demo has no mail server: a local sink receives the reminder e-mails and keeps them as .eml files.
export SMTP_HOST="${SMTP_HOST:-127.0.0.1}" SMTP_PORT="${SMTP_PORT:-2525}"
MAIL_DIR="$CARHEALTH_STATE/mail"
if [ "$SMTP_HOST" = 127.0.0.1 ] && ! alive mail-sink && ! port_open 127.0.0.1 "$SMTP_PORT"; then
  echo "[start] starting mail-sink"
  start_app mail-sink dist/apps/mail-sink/src/main.js --port "$SMTP_PORT" --dir "$MAIL_DIR"
fi
# Worker and API share the VAPID key pair (generated on first use): push subscriptions are bound to it.
export VAPID_KEY_FILE="${VAPID_KEY_FILE:-$CARHEALTH_STATE/vapid.json}"

# A process that is alive but not answering is half-started: replace it. A healthy one is kept.
if alive api && ! api_ready; then echo "[start] api is running but not ready: restarting it"; stop_app api; fi
for app in api ingestion worker; do
  if alive "$app"; then
    echo "[start] $app already running (pid $(cat "$RUN_DIR/$app.pid"))"
  else
    rm -f "$RUN_DIR/$app.pid"
    echo "[start] starting $app"
    start_app "$app" "dist/apps/$app/src/main.js"
  fi
done

for _ in $(seq 1 150); do api_ready && break; sleep 0.2; done
if ! api_ready; then
  echo "[start] the API did not become ready; see $LOG_DIR/api.log" >&2
  tail -n 30 "$LOG_DIR/api.log" >&2 || true
  exit 1
fi

# The demo fleet uploads 30 days of history first (as devices that were offline would; seqs are sample
# times, so a second `npm start` re-sends the same samples and they are stored once), two of the cars with
# a developing fault so the maintenance views have something to show, then keeps driving live. Each car logs
# in as its device (one connection per car); the simulator falls back to the internal listener, and logs it,
# when it cannot.
stop_app simulator
start_app simulator dist/apps/simulator/src/main.js --vehicles 5 --interval 5000 --backfill-days 30 --batch 100 \
  --fault 2:coolant-drift:8 --fault 4:slow-leak:20 --drive-now "${sim_login[@]}"

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
    E-mails        $MAIL_DIR (the demo's local mail sink)
    Logs           $LOG_DIR/{api,ingestion,worker,simulator,mail-sink}.log
  Demo logins: see README.md ("Demo logins"). A simulated fleet of 5 cars is publishing (as their devices when the device listener is ours)
  (30 days of history first; car 2 has a coolant drift and car 4 a slow leak developing).
  Stop with: npm run stop

INFO
