#!/usr/bin/env bash
# `npm run bench:scoring`: scoring throughput on its own database (carhealth_bench, or BENCH_SCORING_DB: the bench
# deletes every LSCORE% car in it, so a checkout sharing the machine names one of its own).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
bench_db="${BENCH_SCORING_DB:-carhealth_bench}"
ensure_database "$bench_db"
export DATABASE_URL="${DATABASE_URL%/*}/$bench_db"
node dist/test/bench/scoring.bench.js "$@"
