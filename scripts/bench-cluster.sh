#!/usr/bin/env bash
# `npm run bench:cluster [-- --devices 300 --rate 3000 --seconds 20 --rounds 1]`: ingestion throughput on the NATS
# cluster of `npm run cluster` with 1 and with 3 replicas, side by side, with CPU per stored message
# (test/bench/cluster.bench.ts). The cluster runs on free ports in a folder of its own, on a Postgres of the bench's
# own (test/support/scratch-servers.ts: its CPU is the bench's alone, the shared server is not touched); setup.sh
# installs what is missing and builds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
node dist/test/bench/cluster.bench.js "$@"
