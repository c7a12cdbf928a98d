#!/usr/bin/env bash
# `npm run bench:ingest`: the ingestion benchmark on its own database (carhealth_bench, or BENCH_DB; with
# --compare-layouts also "<that>_plain", created afresh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
bench_db="${BENCH_DB:-carhealth_bench}"
[[ "$bench_db" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "[bench] BENCH_DB must be a plain lower-case name" >&2; exit 2; }
ensure_database "$bench_db"
export DATABASE_URL="${DATABASE_URL%/*}/$bench_db"
node dist/test/bench/ingest.bench.js "$@"
