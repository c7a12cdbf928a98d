#!/usr/bin/env bash
# `npm run cluster` (start) and `npm run cluster:stop` (stop): the clustered topology of issue 13 on this machine, each
# part its own process on its own ports:
#   3 NATS broker nodes (JetStream, an MQTT listener each: scripts/nats-cluster.sh), a Redis Cluster of 3 masters and
#   3 replicas (scripts/redis-cluster.sh), the project's Postgres (scripts/infra.sh, as `npm start`), and under a pm2
#   daemon of its own (scripts/pm2.cluster.config.cjs): 3 ingestion replicas sharing one durable consumer, 2 workers,
#   2 APIs, the mail sink and the demo fleet, whose cars log in as their devices spread over the 3 broker nodes.
# It migrates and seeds a database of its own (the checkout's database name + `_cluster`, or CARHEALTH_CLUSTER_DB),
# so `npm start`'s demo, its database, broker logins and supervisor are untouched and both can run at once.
# Everything of the cluster lives under CARHEALTH_CLUSTER_DIR ($CARHEALTH_STATE/cluster): data, logs, pm2's home.
# Ports (CLUSTER_NATS_BASE_PORT 4400: 12 ports, see nats-cluster.sh; CLUSTER_REDIS_BASE_PORT 7600: 6 ports;
# CLUSTER_API_PORTS 3101,3102; CLUSTER_SMTP_PORT 2526) are recorded at start, so stop finds what start used.
# Idempotent: start keeps what runs and is online and starts the rest; stop ends every process of the cluster (not
# Postgres, shared with `npm start`) and succeeds when nothing runs. The data stays for the next start.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR="$(pwd)"
action="${1:-}"
[ "$action" = start ] || [ "$action" = stop ] || { echo "usage: $0 start|stop" >&2; exit 2; }

CARHEALTH_STATE="${CARHEALTH_STATE:-/var/tmp/carhealth-$(printf '%s' "$PROJECT_DIR" | md5sum | cut -c1-10)}"
CLUSTER_DIR="${CARHEALTH_CLUSTER_DIR:-$CARHEALTH_STATE/cluster}"
if [ "$action" = stop ] && [ ! -d "$CLUSTER_DIR" ]; then echo "[cluster] nothing to stop ($CLUSTER_DIR does not exist)" >&2; exit 0; fi
mkdir -p "$CLUSTER_DIR"
CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
export CARHEALTH_CLUSTER_DIR="$CLUSTER_DIR"
PORTS_FILE="$CLUSTER_DIR/ports.env"

say() { printf "[cluster] %s\n" "$*" >&2; }

# The ports of a running cluster win over the environment: stop (and a second start) must address what runs.
if [ -s "$PORTS_FILE" ]; then source "$PORTS_FILE"; fi
NATS_BASE="${CLUSTER_NATS_BASE:-${CLUSTER_NATS_BASE_PORT:-4400}}"
REDIS_BASE="${CLUSTER_REDIS_BASE:-${CLUSTER_REDIS_BASE_PORT:-7600}}"
API_PORTS="${CLUSTER_API_PORTS:-3101,3102}"
SMTP_PORT_CLUSTER="${CLUSTER_SMTP:-${CLUSTER_SMTP_PORT:-2526}}"
export CLUSTER_API_PORTS="$API_PORTS" CLUSTER_INGESTION_REPLICAS=3 CLUSTER_WORKERS=2

# The supervisor's helpers (scripts/supervisor.sh) with this cluster's own pm2 home: `npm start`'s daemon
# ($CARHEALTH_STATE/pm2) and this one never see each other's apps.
export CARHEALTH_STATE
source scripts/supervisor.sh
export PM2_HOME="$CLUSTER_DIR/pm2"
CLUSTER_APPS=(mail-sink)
IFS=, read -r -a api_ports <<<"$API_PORTS"
for i in "${!api_ports[@]}"; do CLUSTER_APPS+=("api-$((i + 1))"); done
CLUSTER_APPS+=(worker-1 worker-2 ingestion-1 ingestion-2 ingestion-3 simulator)

stop_cluster() {
  if supervisor_running; then
    say "stopping the apps (SIGTERM, up to 30 s each: ingestion commits and acknowledges what it holds)"
    pm2_quiet delete all || true
    pm2_quiet kill
  elif [ -e "$PM2_HOME/pm2.pid" ]; then
    rm -f "$PM2_HOME/pm2.pid"
  fi
  # Apps a dead daemon of this cluster left behind (command line and PM2_HOME checked).
  stop_orphaned_apps
  scripts/nats-cluster.sh stop "$NATS_BASE" "$CLUSTER_DIR/nats"
  scripts/redis-cluster.sh stop "$REDIS_BASE" "$CLUSTER_DIR/redis"
  say "stopped (cluster folder $CLUSTER_DIR; Postgres left running, shared with npm start)"
}

if [ "$action" = stop ]; then
  stop_cluster
  exit 0
fi

# ---------- start ----------
printf 'CLUSTER_NATS_BASE=%s\nCLUSTER_REDIS_BASE=%s\nCLUSTER_API_PORTS=%s\nCLUSTER_SMTP=%s\n' \
  "$NATS_BASE" "$REDIS_BASE" "$API_PORTS" "$SMTP_PORT_CLUSTER" >"$PORTS_FILE"

# Postgres (and, as for npm start, the checkout's Redis and Mosquitto), dependencies, the build, migrations.
source scripts/setup.sh
# Neither the seed nor any app of the cluster may rewrite `npm start`'s Mosquitto logins: its devices live in the
# checkout's database, ours in the cluster's.
unset MQTT_DEVICE_PASSWORD_FILE MQTT_DEVICE_ACL_FILE MQTT_BROKER_PID_FILE REDIS_URL
export PM2_HOME="$CLUSTER_DIR/pm2"

CLUSTER_DB="${CARHEALTH_CLUSTER_DB:-${PG_DB:-carhealth}_cluster}"
[[ "$CLUSTER_DB" =~ ^[a-z_][a-z0-9_]*$ ]] || { say "CARHEALTH_CLUSTER_DB must be a plain lower-case name"; exit 2; }
ensure_database "$CLUSTER_DB"
export DATABASE_URL="${DATABASE_URL%/*}/$CLUSTER_DB"
node dist/libs/database/src/cli/migrate-deploy.js >&2

scripts/redis-cluster.sh start "$REDIS_BASE" "$CLUSTER_DIR/redis"
scripts/nats-cluster.sh start "$NATS_BASE" "$CLUSTER_DIR/nats"
REDIS_NODES="$(scripts/redis-cluster.sh nodes "$REDIS_BASE")"
NATS_NODES="$(scripts/nats-cluster.sh servers "$NATS_BASE")"
mqtt_nodes=()
for i in 0 1 2; do mqtt_nodes+=("127.0.0.1:$((NATS_BASE + 6 + i))"); done
MQTT_NODES="$(IFS=,; echo "${mqtt_nodes[*]}")"
NATS_PASSWORD="$(cat "$CLUSTER_DIR/nats/internal-password")"

# A fresh node refuses MQTT connections until the account's MQTT streams (R3) exist; the first connection creates them.
# Wait here (90 s at most) until every node's listener accepts the platform's login, so a node that cannot (seen once:
# "create sessions stream ... no suitable peers for placement" for minutes) is named with its log, not found later as
# an API that never becomes ready.
mqtt_accepts() {
  node -e '
    const mqtt = require("mqtt");
    const [port, password] = process.argv.slice(1);
    mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { username: "carhealth", password, protocolVersion: 4, clean: true,
      clientId: `cluster-start-${port}`, reconnectPeriod: 0, connectTimeout: 5000 }, false)
      .then((client) => client.endAsync().then(() => process.exit(0)), () => process.exit(1));' "$1" "$NATS_PASSWORD"
}
for i in 0 1 2; do
  port=$((NATS_BASE + 6 + i)) deadline=$((SECONDS + 90))
  until mqtt_accepts "$port"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "broker node $((i + 1)) (mqtt://127.0.0.1:$port) refuses MQTT connections after 90 s; its log:"
      grep -v 'Route connection\|route (attempt' "$CLUSTER_DIR/nats/n$((NATS_BASE + i))/nats.log" | tail -n 15 >&2
      exit 1
    fi
    sleep 1
  done
done

# The demo, as npm start seeds it, its cars' device logins in the cluster folder (the file names node 1 as the listener;
# the fleet is told all three). Then every node learns the logins (re-rendered auth.conf, SIGHUP).
export MQTT_DEVICE_HOST=127.0.0.1 MQTT_DEVICE_PORT="${mqtt_nodes[0]#*:}"
DEMO_DEVICES="$CLUSTER_DIR/demo-devices.json"
node dist/prisma/seed.js --demo-devices "$DEMO_DEVICES"
scripts/nats-cluster.sh sync "$NATS_BASE" "$CLUSTER_DIR/nats"

# What every app of the cluster reads (libs/config): the Redis Cluster, the NATS tier, the cluster's database.
export REDIS_CLUSTER_NODES="$REDIS_NODES" QUEUE_PREFIX="${CLUSTER_DB//_/-}"
export INGESTION_SOURCE=nats NATS_SERVERS="$NATS_NODES" NATS_USER=carhealth NATS_PASSWORD
# The APIs' readiness connects to every broker node with the platform's login (it never publishes).
export MQTT_URL="mqtt://carhealth:$NATS_PASSWORD@${mqtt_nodes[0]}" MQTT_BROKER_NODES="$MQTT_NODES" MQTT_EMBEDDED_BROKER=false
# Each ingestion replica reports every second (not 5): start waits for each report before the next replica.
export INGEST_STATUS_INTERVAL_MS=1000
export HOST=127.0.0.1 PUBLIC_APP_URL="http://127.0.0.1:${api_ports[0]}/app/"
export SMTP_HOST=127.0.0.1 SMTP_PORT="$SMTP_PORT_CLUSTER" CARHEALTH_MAIL_DIR="$CLUSTER_DIR/mail"
export VAPID_KEY_FILE="$CLUSTER_DIR/vapid.json"
LOG_DIR="$CLUSTER_DIR/logs"
mkdir -p "$LOG_DIR"

start_app() {
  [ "$(app_status "$1")" = absent ] || pm2_quiet delete "$1"
  pm2_quiet start scripts/pm2.cluster.config.cjs --only "$1"
}
# keep_or_start <app>: an app that is online is kept (a second `npm run cluster` changes nothing), any other started.
keep_or_start() {
  if [ "$(app_status "$1")" = online ]; then say "$1 already running"; else say "starting $1"; start_app "$1"; fi
}
# wait_ready <api port> <what> <replicas>: until that API reports ready with every node and those replicas, 120 s.
wait_ready() {
  local port=$1 what=$2 replicas=$3 deadline=$((SECONDS + 120)) answer=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    answer="$(node scripts/cluster-ready.cjs "$port" "$MQTT_NODES" "$REDIS_NODES" "$replicas")" && return 0
    sleep 0.5
  done
  say "$what: http://127.0.0.1:$port/health/ready $answer after 120 s; logs in $LOG_DIR"
  return 1
}

stop_orphaned_apps
keep_or_start mail-sink
for i in "${!api_ports[@]}"; do keep_or_start "api-$((i + 1))"; done
keep_or_start worker-1
keep_or_start worker-2
wait_ready "${api_ports[0]}" "api-1" "" || { tail -n 30 "$LOG_DIR/api-1.log" >&2; exit 1; }
# The ingestion replicas one after the other, each once the previous one reports: on nats-server 2.9.10 two
# replicas started at the same instant on a fresh consumer left one never pulling in 2 of 5 runs (README "Broker
# cluster", left open (2)).
replicas=""
for i in 1 2 3; do
  keep_or_start "ingestion-$i"
  replicas="${replicas:+$replicas,}ingest-cluster-$i"
  wait_ready "${api_ports[0]}" "ingestion-$i" "$replicas" || { tail -n 30 "$LOG_DIR/ingestion-$i.log" >&2; exit 1; }
done
for i in "${!api_ports[@]}"; do
  wait_ready "${api_ports[$i]}" "api-$((i + 1))" "$replicas" || { tail -n 30 "$LOG_DIR/api-$((i + 1)).log" >&2; exit 1; }
done

# The demo fleet, as npm start drives it (30 days of history, then live), each car logged in as its device on node
# i mod 3 and moving to the next node if its own is lost. Restarted on every start, like npm start's.
CARHEALTH_SIMULATOR_ARGS="$(node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- \
  --vehicles 5 --interval 5000 --backfill-days 30 --batch 100 \
  --fault 2:coolant-drift:8 --fault 4:slow-leak:20 --drive-now \
  --devices-file "$DEMO_DEVICES" --device-nodes "$MQTT_NODES")"
export CARHEALTH_SIMULATOR_ARGS
# CLUSTER_DEMO_FLEET=false leaves the fleet out (bench:cluster publishes from devices of its own and counts every row
# and every CPU second; a demo fleet backfilling 30 days would take both).
if [ "${CLUSTER_DEMO_FLEET:-true}" = false ]; then
  [ "$(app_status simulator)" = absent ] || pm2_quiet delete simulator
  say "demo fleet not started (CLUSTER_DEMO_FLEET=false)"
else
  start_app simulator
fi

apis=""
for i in "${!api_ports[@]}"; do
  port=${api_ports[$i]}
  apis+="    API $((i + 1))          http://127.0.0.1:$port   (ready: http://127.0.0.1:$port/health/ready, dashboard: /dashboard, owner app: /app/)"$'\n'
done
brokers=""
for i in 0 1 2; do
  brokers+="    Broker node $((i + 1))  mqtt://127.0.0.1:$((NATS_BASE + 6 + i))   (NATS nats://127.0.0.1:$((NATS_BASE + i)), monitor http://127.0.0.1:$((NATS_BASE + 9 + i)))"$'\n'
done
redis_lines=""
while read -r line; do redis_lines+="    $line"$'\n'; done < <(
  redis-cli -p "$REDIS_BASE" cluster nodes | tr -d '\r' |
    awk '{ split($2, a, "@"); role = ($3 ~ /master/) ? "master " : "replica"; printf "Redis %s  redis://%s\n", role, a[1] }' | sort -t: -k3 -n
)

cat <<INFO

  Car Health cluster is running (issue 13: every part its own process).
${apis}${brokers}${redis_lines}    Postgres       ${DATABASE_URL}
    Devices        the demo cars' logins: $DEMO_DEVICES (MQTT 3.1.1, topic vehicles/{vin}/telemetry, QoS 1)
    Logs           $LOG_DIR/{api-1,api-2,ingestion-1,ingestion-2,ingestion-3,worker-1,worker-2,simulator,mail-sink}.log
                   broker nodes $CLUSTER_DIR/nats/n*/nats.log, Redis nodes $CLUSTER_DIR/redis/*/redis.log
  Apps (pm2, PM2_HOME=$PM2_HOME):
$(print_app_states)
  A simulated fleet of 5 cars publishes as their devices over the 3 broker nodes (30 days of history first).
  Demo logins: README.md ("Demo logins"). Stop with: npm run cluster:stop

INFO
