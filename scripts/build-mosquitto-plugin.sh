#!/usr/bin/env bash
# build-mosquitto-plugin.sh <output.so>: compiles the device listener's plugin (libs/broker-auth/mosquitto/
# refuse-subscriptions.c: devices may not subscribe, which Mosquitto 2.0's acl_file cannot refuse). Needs gcc and
# Mosquitto's plugin headers (Debian: gcc libc6-dev mosquitto-dev libmosquitto-dev; scripts/infra.sh installs
# them). Writes next to the output and renames, so a broker or a parallel build never sees half a file.
set -euo pipefail
out="${1:?usage: build-mosquitto-plugin.sh <output.so>}"
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/libs/broker-auth/mosquitto/refuse-subscriptions.c"
tmp="$out.$$.tmp"
trap 'rm -f "$tmp"' EXIT
gcc -std=c99 -Wall -Wextra -Werror -O2 -fPIC -shared -o "$tmp" "$src"
mv -f "$tmp" "$out"
