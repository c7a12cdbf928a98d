#!/usr/bin/env bash
# `npm run bench:api`: the API's request path with and without the rate limiter, on its own database (carhealth_bench).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
ensure_database carhealth_bench
export DATABASE_URL="${DATABASE_URL%/*}/carhealth_bench"
node dist/test/bench/api.bench.js "$@"
