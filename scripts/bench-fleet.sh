#!/usr/bin/env bash
# `npm run bench:fleet [-- --cars 10000 --minutes 10 --compare-cars 1000]`: the whole platform on this machine with
# N simulated cars (test/bench/fleet.bench.ts). It runs its own Postgres cluster, Redis and Mosquitto on free ports
# (test/support/scratch-servers.ts), so their CPU is the bench's alone and the shared servers are not touched;
# setup.sh installs what is missing and builds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
node dist/test/bench/fleet.bench.js "$@"
