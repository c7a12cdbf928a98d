#!/usr/bin/env bash
# `npm run bench:api`: the API's request path with and without the rate limiter, on its own database (carhealth_bench).
# `npm run bench:api -- --fleet [...]`: the staff dashboard's reads at 10,000 cars with 90 days of prediction
# history (test/bench/api-fleet.bench.ts), on a database of its own (carhealth_bench_api, or BENCH_DB), seeded once
# and reused.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
if [ "${1:-}" = --fleet ]; then
  bench_db="${BENCH_DB:-carhealth_bench_api}"
  [[ "$bench_db" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "[bench] BENCH_DB must be a plain lower-case name" >&2; exit 2; }
  ensure_database "$bench_db"
  export DATABASE_URL="${DATABASE_URL%/*}/$bench_db"
  exec node dist/test/bench/api-fleet.bench.js "$@"
fi
ensure_database carhealth_bench
export DATABASE_URL="${DATABASE_URL%/*}/carhealth_bench"
node dist/test/bench/api.bench.js "$@"
