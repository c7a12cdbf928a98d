#!/usr/bin/env bash
# A local Redis Cluster of 3 masters and 3 replicas on loopback, for tests and `npm run cluster`:
#   scripts/redis-cluster.sh start <base-port> <dir>   ports base..base+5, data and logs under <dir>/<port>
#   scripts/redis-cluster.sh stop  <base-port> <dir>
#   scripts/redis-cluster.sh nodes <base-port>         prints REDIS_CLUSTER_NODES for these ports
# Idempotent: start starts only the nodes that are not answering (a node restarted from its nodes.conf rejoins by
# itself), creates the cluster only when no node knows another, and returns once every node says cluster_state:ok.
# Never point it at a shared Redis port: each node here is a private redis-server the script may shut down.
set -euo pipefail

usage() { echo "usage: $0 start|stop <base-port> <dir> | nodes <base-port>" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
base=$2
[[ "$base" =~ ^[0-9]+$ ]] && [ "$base" -ge 1024 ] && [ "$base" -le 65529 ] || { echo "base port must be 1024-65529" >&2; exit 2; }
ports=()
for i in 0 1 2 3 4 5; do ports+=($((base + i))); done

# Failover is decided after cluster-node-timeout: 2 s here so a test sees it within seconds (Redis's default is
# 15 s). A replica whose link to its master was down for long may still be promoted (validity factor 0): on
# loopback the link is only down because the master was killed.
NODE_TIMEOUT_MS=${REDIS_CLUSTER_NODE_TIMEOUT_MS:-2000}

ensure_redis() {
  if command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; then return; fi
  echo "[redis-cluster] installing redis-server" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
  else
    sudo apt-get update -qq >&2 && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
  fi
}

answers() { redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG; }
info_field() { redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n "s/^$2://p"; }

start_node() {
  local port=$1 dir=$2/$1
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout "$NODE_TIMEOUT_MS" \
    --cluster-replica-validity-factor 0 \
    --appendonly yes --save '' --maxmemory-policy noeviction
}

start() {
  local dir=$1
  ensure_redis
  mkdir -p "$dir"
  for port in "${ports[@]}"; do
    answers "$port" || start_node "$port" "$dir"
  done
  for port in "${ports[@]}"; do
    for _ in $(seq 1 50); do answers "$port" && break; sleep 0.1; done
    answers "$port" || { echo "[redis-cluster] node $port did not start: see $dir/$port/redis.log" >&2; exit 1; }
  done
  # A fresh node knows only itself; after a restart nodes.conf brings the cluster back.
  if [ "$(info_field "${ports[0]}" cluster_known_nodes)" = 1 ]; then
    local addresses=()
    for port in "${ports[@]}"; do addresses+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${addresses[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 ||
      { cat "$dir/create.log" >&2; exit 1; }
  fi
  for _ in $(seq 1 100); do
    local ok=0
    for port in "${ports[@]}"; do [ "$(info_field "$port" cluster_state)" = ok ] && ok=$((ok + 1)); done
    [ "$ok" = 6 ] && { echo "[redis-cluster] 3 masters + 3 replicas ready on $(nodes)" >&2; return; }
    sleep 0.2
  done
  echo "[redis-cluster] the cluster did not reach cluster_state:ok: see $dir/*/redis.log" >&2
  exit 1
}

stop() {
  local dir=$1
  for port in "${ports[@]}"; do
    local pidfile=$dir/$port/redis.pid
    if answers "$port"; then redis-cli -h 127.0.0.1 -p "$port" shutdown nosave >/dev/null 2>&1 || true; fi
    # Only a pid this script recorded, and only while it is still a redis-server.
    if [ -f "$pidfile" ]; then
      local pid
      pid=$(cat "$pidfile")
      if [ -n "$pid" ] && ps -p "$pid" -o comm= 2>/dev/null | grep -q redis-server; then kill "$pid" 2>/dev/null || true; fi
      rm -f "$pidfile"
    fi
  done
}

nodes() {
  local list=()
  for port in "${ports[@]}"; do list+=("127.0.0.1:$port"); done
  (IFS=,; echo "${list[*]}")
}

case "$action" in
  start) [ $# -eq 3 ] || usage; start "$3" ;;
  stop) [ $# -eq 3 ] || usage; stop "$3" ;;
  nodes) nodes ;;
  *) usage ;;
esac
