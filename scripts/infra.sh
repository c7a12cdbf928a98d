#!/usr/bin/env bash
# Makes sure Postgres, Redis and an MQTT broker answer, and exports their URLs.
# Source it: `source scripts/infra.sh`. Idempotent: a second run reuses what is running, a
# half-started service (stale pid file, dead process) is restarted.
#
# - A URL given in DATABASE_URL / REDIS_URL / MQTT_URL that answers is used as it is.
# - Otherwise a private instance is started on loopback, its data kept under $CARHEALTH_STATE,
#   installing the Debian package first when the server binary is missing (needs root + apt).
# - Where no MQTT broker can be had, MQTT_EMBEDDED_BROKER=true makes ingestion start Aedes in-process.
# - Our own Mosquitto has a second, login-only listener for devices (MQTT_DEVICE_PORT, default 1884); the
#   paths of its password/ACL files and pid file are exported (MQTT_DEVICE_*_FILE, MQTT_BROKER_PID_FILE)
#   for the broker credentials writer. A broker of ours running an older config is restarted once.

set -euo pipefail

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One state folder per checkout, outside it (the postgres user must be able to write there).
CARHEALTH_STATE="${CARHEALTH_STATE:-/var/tmp/carhealth-$(printf '%s' "$PROJECT_DIR" | md5sum | cut -c1-10)}"
export CARHEALTH_STATE
mkdir -p "$CARHEALTH_STATE"

PG_PORT="${CARHEALTH_PG_PORT:-5433}"
REDIS_PORT="${CARHEALTH_REDIS_PORT:-6380}"
MQTT_PORT="${CARHEALTH_MQTT_PORT:-1883}"
# Unset: chosen once the server answers (scripts/database-owner.sh: each checkout gets a database of its own).
PG_DB="${CARHEALTH_PG_DB:-}"
PG_ADMIN_URL="postgresql://carhealth:carhealth@127.0.0.1:${PG_PORT}/postgres"

log() { printf '[infra] %s\n' "$*" >&2; }
source "$PROJECT_DIR/scripts/database-owner.sh"

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    log "cannot install $* (needs root and apt-get)"; return 1
  fi
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
    apt_updated=1
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() { # wait_for <seconds> <command...>
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
}

# ---------- PostgreSQL ----------
pg_bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; fi
  done | sort -V | tail -n 1
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    if psql "$DATABASE_URL" -Atqc 'select 1' >/dev/null 2>&1; then log "postgres: using DATABASE_URL"; return 0; fi
    log "postgres: DATABASE_URL does not answer, starting a local one"
  fi
  if ! command -v psql >/dev/null 2>&1 || [ -z "$(pg_bin_dir)" ]; then apt_install postgresql; fi
  # Another checkout's private server may already answer on the port: share it rather than collide.
  if psql "postgresql://carhealth:carhealth@127.0.0.1:${PG_PORT}/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
    log "postgres: reusing the server on 127.0.0.1:$PG_PORT"
    use_database
    return 0
  fi
  local bin; bin="$(pg_bin_dir)"
  local data="$CARHEALTH_STATE/pg"
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  chown postgres "$CARHEALTH_STATE" 2>/dev/null || true
  if [ ! -s "$data/PG_VERSION" ]; then
    log "postgres: initdb $data"
    rm -rf "$data"; mkdir -p "$data"; chown postgres "$data"
    printf 'carhealth\n' > "$CARHEALTH_STATE/pgpass"; chown postgres "$CARHEALTH_STATE/pgpass"
    runuser -u postgres -- "$bin/initdb" -D "$data" -U carhealth --pwfile="$CARHEALTH_STATE/pgpass" \
      --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! runuser -u postgres -- "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    # A half-started server leaves postmaster.pid behind; pg_ctl start handles a stale one.
    log "postgres: starting on 127.0.0.1:$PG_PORT"
    runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$CARHEALTH_STATE/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $CARHEALTH_STATE -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c synchronous_commit=on" \
      start >/dev/null
  fi
  wait_for 30 psql "postgresql://carhealth:carhealth@127.0.0.1:${PG_PORT}/postgres" -Atqc 'select 1'
  use_database
}

# use_database: this checkout's database on the local server (created and marked as ours), in DATABASE_URL.
use_database() {
  PG_DB="${PG_DB:-$(default_database_name)}"
  ensure_database "$PG_DB"
  export DATABASE_URL="postgresql://carhealth:carhealth@127.0.0.1:${PG_PORT}/${PG_DB}"
  log "postgres: database $PG_DB"
}

# ensure_database <name>: creates it on the local cluster when missing.
ensure_database() {
  local admin="postgresql://carhealth:carhealth@127.0.0.1:${PG_PORT}/postgres"
  if [ "$(psql "$admin" -Atqc "select 1 from pg_database where datname = '$1'")" != 1 ]; then
    log "postgres: create database $1"
    psql "$admin" -qc "create database \"$1\"" >/dev/null
  fi
  claim_database "$1"
}

# ---------- Redis ----------
ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then
    if command -v redis-cli >/dev/null 2>&1 && redis-cli -u "$REDIS_URL" ping 2>/dev/null | grep -q PONG; then
      log "redis: using REDIS_URL"; return 0
    fi
    log "redis: REDIS_URL does not answer, starting a local one"
  fi
  export REDIS_URL="redis://127.0.0.1:${REDIS_PORT}"
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  if ! redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    mkdir -p "$CARHEALTH_STATE/redis"
    log "redis: starting on 127.0.0.1:$REDIS_PORT"
    # BullMQ needs noeviction; appendonly keeps queued jobs across a restart.
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$CARHEALTH_STATE/redis" \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction --save '' \
      --pidfile "$CARHEALTH_STATE/redis.pid" --logfile "$CARHEALTH_STATE/redis.log"
    wait_for 20 redis-cli -p "$REDIS_PORT" ping
  fi
}

# ---------- MQTT broker ----------
mosquitto_bin() { command -v mosquitto || { [ -x /usr/sbin/mosquitto ] && echo /usr/sbin/mosquitto; } || true; }

# The config this checkout's broker runs with. Two listeners with their own settings:
# - internal ($MQTT_PORT, loopback, anonymous): our own services (ingestion, simulator, tests);
# - devices ($MQTT_DEVICE_PORT): login required, each device may only write its own VIN's telemetry. Both
#   files are rendered from Postgres by the broker credentials writer (libs/broker-auth), which sends SIGHUP
#   to the pid file below; Mosquitto 2 re-reads them and drops clients whose login is gone.
# use_username_as_clientid: client ids are broker-wide and a duplicate id kicks the first client off, so a
# device must not be able to pick one (say, ingestion's); device serials are kept out of the platform's own ids
# (libs/config mqtt-client-ids.ts).
# plugin: refuses every SUBSCRIBE from a device. Mosquitto 2.0's acl_file cannot (it grants any subscription,
# `$share/...` included, and filters only at delivery), so a device could join ingestion's shared subscription
# and take its turn of every car's telemetry, which was then dropped. See libs/broker-auth/mosquitto/.
# max_queued_messages bounds what the broker keeps for an offline persistent session: the default
# (1000) would drop QoS 1 messages while ingestion restarts, so it is raised far above any burst.
mosquitto_config() {
  cat <<CONF
user root
per_listener_settings true
persistence true
persistence_location $CARHEALTH_STATE/mosquitto/
autosave_interval 30
max_inflight_messages 0
max_queued_messages 10000000
max_queued_bytes 0
max_packet_size 1048576
log_dest file $CARHEALTH_STATE/mosquitto.log
log_type error
log_type warning
pid_file $CARHEALTH_STATE/mosquitto.pid

listener $MQTT_PORT 127.0.0.1
allow_anonymous true

listener $MQTT_DEVICE_PORT $MQTT_DEVICE_BIND
allow_anonymous false
use_username_as_clientid true
password_file $CARHEALTH_STATE/mosquitto/devices.passwd
acl_file $CARHEALTH_STATE/mosquitto/devices.acl
plugin $CARHEALTH_STATE/mosquitto/refuse-subscriptions.so
CONF
}

# build_device_plugin: (re)builds the device listener's plugin when missing or older than its source or its
# build script, installing the compiler and Mosquitto's plugin headers first if needed.
build_device_plugin() {
  local so="$CARHEALTH_STATE/mosquitto/refuse-subscriptions.so" src="$PROJECT_DIR/libs/broker-auth/mosquitto/refuse-subscriptions.c"
  [ -s "$so" ] && [ "$so" -nt "$src" ] && [ "$so" -nt "$PROJECT_DIR/scripts/build-mosquitto-plugin.sh" ] && return 0
  if ! command -v gcc >/dev/null 2>&1 || [ ! -e /usr/include/mosquitto_broker.h ] || [ ! -e /usr/include/mosquitto.h ]; then
    apt_install gcc libc6-dev mosquitto-dev libmosquitto-dev || return 1
  fi
  "$PROJECT_DIR/scripts/build-mosquitto-plugin.sh" "$so"
}

# export_device_auth <state dir>: where the broker credentials writer renders the device files.
export_device_auth() {
  export MQTT_DEVICE_PASSWORD_FILE="$1/mosquitto/devices.passwd" MQTT_DEVICE_ACL_FILE="$1/mosquitto/devices.acl"
  export MQTT_BROKER_PID_FILE="$1/mosquitto.pid" MQTT_DEVICE_PORT
}

# running_mosquitto_of <state dir>: the pid of the broker started from that state folder, if it still runs.
# The command line is checked too, so a recycled pid is never taken for our broker.
running_mosquitto_of() {
  local pid
  [ -s "$1/mosquitto.pid" ] || return 1
  pid="$(cat "$1/mosquitto.pid")"
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-c $1/mosquitto.conf" && echo "$pid"
}

ensure_mqtt() {
  export MQTT_EMBEDDED_BROKER=false
  MQTT_DEVICE_PORT="${MQTT_DEVICE_PORT:-1884}"
  MQTT_DEVICE_BIND="${MQTT_DEVICE_BIND:-127.0.0.1}"
  local local_url="mqtt://127.0.0.1:${MQTT_PORT}"
  if [ -n "${MQTT_URL:-}" ] && [ "$MQTT_URL" != "$local_url" ]; then
    local hp="${MQTT_URL#*://}"; hp="${hp%%/*}"; hp="${hp##*@}"
    if port_open "${hp%%:*}" "${hp##*:}"; then
      log "mqtt: using MQTT_URL (device logins are managed by that broker, not by this platform)"; return 0
    fi
    log "mqtt: MQTT_URL does not answer, starting a local broker"
  fi
  export MQTT_URL="$local_url"
  local conf="$CARHEALTH_STATE/mosquitto.conf" pid
  mkdir -p "$CARHEALTH_STATE/mosquitto"
  # Mosquitto refuses to start without them; the writer fills them from Postgres after the migrations.
  for f in devices.passwd devices.acl; do
    [ -e "$CARHEALTH_STATE/mosquitto/$f" ] || install -m 600 /dev/null "$CARHEALTH_STATE/mosquitto/$f"
  done

  if pid="$(running_mosquitto_of "$CARHEALTH_STATE")"; then
    if [ "$(cat "$conf" 2>/dev/null)" = "$(mosquitto_config)" ] && port_open 127.0.0.1 "$MQTT_DEVICE_PORT"; then
      log "mqtt: broker already on $MQTT_PORT (devices on $MQTT_DEVICE_PORT)"
      export_device_auth "$CARHEALTH_STATE"; return 0
    fi
    # Only a broker this checkout started is restarted; persistence keeps the sessions and queued messages.
    log "mqtt: our broker (pid $pid) runs an older config: restarting it"
    kill -TERM "$pid" 2>/dev/null || true
    wait_for 20 bash -c "! kill -0 $pid" || { log "mqtt: pid $pid did not stop"; return 1; }
  elif port_open 127.0.0.1 "$MQTT_PORT"; then
    log "mqtt: broker already on $MQTT_PORT, not started by this checkout"
    # Another checkout on this machine may have started it: share its device files if it has a device listener.
    local dir
    for dir in "$(dirname "$CARHEALTH_STATE")"/carhealth-*; do
      if running_mosquitto_of "$dir" >/dev/null && grep -q "^listener $MQTT_DEVICE_PORT " "$dir/mosquitto.conf"; then
        log "mqtt: devices on $MQTT_DEVICE_PORT, credentials under $dir"
        export_device_auth "$dir"; return 0
      fi
    done
    log "mqtt: device logins are managed elsewhere (no device listener of ours on that broker)"
    return 0
  fi

  [ -n "$(mosquitto_bin)" ] || apt_install mosquitto mosquitto-clients || true
  local bin; bin="$(mosquitto_bin)"
  if [ -z "$bin" ]; then
    log "mqtt: no broker can be installed; ingestion will embed Aedes (MQTT 3.1.1, no shared subscriptions, no device logins)"
    export MQTT_EMBEDDED_BROKER=true
    return 0
  fi
  # Without the plugin the device listener would let devices into ingestion's share group: no device listener then.
  if ! build_device_plugin; then
    log "mqtt: cannot build the device listener's plugin (gcc, mosquitto-dev); ingestion will embed Aedes (no device logins)"
    export MQTT_EMBEDDED_BROKER=true
    return 0
  fi
  mosquitto_config >"$conf"
  log "mqtt: starting mosquitto on 127.0.0.1:$MQTT_PORT (devices on $MQTT_DEVICE_BIND:$MQTT_DEVICE_PORT)"
  "$bin" -c "$conf" -d
  wait_for 20 port_open 127.0.0.1 "$MQTT_PORT"
  wait_for 20 port_open 127.0.0.1 "$MQTT_DEVICE_PORT"
  export_device_auth "$CARHEALTH_STATE"
}

ensure_postgres
ensure_redis
ensure_mqtt
