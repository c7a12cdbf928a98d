#!/usr/bin/env bash
# `npm run bench:plans`: EXPLAIN (ANALYZE, BUFFERS) of the telemetry reads and the resend check on day-partitioned
# telemetry, in its own database (carhealth_bench_plans, or BENCH_DB), filled on the first run and kept.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
bench_db="${BENCH_DB:-carhealth_bench_plans}"
[[ "$bench_db" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "[bench] BENCH_DB must be a plain lower-case name" >&2; exit 2; }
ensure_database "$bench_db"
export DATABASE_URL="${DATABASE_URL%/*}/$bench_db"
node dist/test/bench/telemetry-plans.bench.js "$@"
