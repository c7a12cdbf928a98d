#!/usr/bin/env bash
# Prints the path of the nats-server the project runs (scripts/nats-cluster.sh, test/nats-cluster), installing it
# first when missing. Idempotent, pinned, checked:
#   scripts/nats-server.sh            -> /var/tmp/carhealth-tools/nats-server-2.15.1/nats-server
#
# Why not Debian 12's own nats-server (2.9.10): on it the node leading the MQTT listener's stream `$MQTT_msgs` sent
# a device's PUBACK with BOTH followers frozen (SIGSTOP) in 2 of 5 runs of test/nats-cluster/ack-timing.e2e.ts, and
# once lost a message it had acknowledged when it was killed (README "Broker cluster").
# Why not trixie's 2.10.27 (what the project ran until the eighth session): it sometimes never heard one node that
# heard it, leaving that node out of the JetStream meta group on a first start (about 1 start in 10 on the loaded
# test machine) or "not current" after a SIGKILL and restart, which a restart did not always repair; test/nats-cluster
# failed about 1 run in 7-10 that way. Releases since carry many Raft and JetStream clustering fixes, so the project
# runs the newest Debian has: 2.15.1 from sid (unstable), a Go binary linked only against libc, whose package
# needs libc6 >= 2.34 (its newest symbol version is GLIBC_2.34; checked below against this machine's glibc before
# the binary is run: Debian 12 has 2.36).
#
# How, without touching the machine's apt set-up: a private apt state (its own sources.list naming only sid, its
# own lists and cache) under the tool folder; `apt-get update` + `apt-get download` verify the package against
# sid's signed Release file (Debian 12's debian-archive-keyring holds the keys that sign it), `dpkg-deb -x` unpacks
# it there, and nothing is installed system-wide (no dpkg database entry, no service). The binary is kept only if the
# package's libc6 need is met here and `--version` says 2.15.1. A flock serialises checkouts installing at the same
# time; the folder is swapped in whole, so a reader never sees half a binary. sid moves: when 2.15.1 has left it,
# another 2.15.1 revision is taken, else the script stops and names NATS_SERVER_BIN (the pin is changed on purpose,
# after the probes in test/nats-cluster ran on the new version).
#
# Environment: CARHEALTH_TOOLS (default /var/tmp/carhealth-tools, shared by the machine's checkouts),
# NATS_SERVER_BIN (use this binary instead, still checked to be 2.15.1).
set -euo pipefail

NATS_VERSION=2.15.1
# sid's build; another 2.15.1 revision (a binNMU rebuild) is taken when this one has left the archive.
NATS_DEB_VERSION=2.15.1-1
NATS_SUITE=sid

log() { printf '[nats-server] %s\n' "$*" >&2; }

version_ok() { [ -x "$1" ] && "$1" --version 2>/dev/null | grep -qx "nats-server: v${NATS_VERSION}"; }

if [ -n "${NATS_SERVER_BIN:-}" ]; then
  version_ok "$NATS_SERVER_BIN" || { log "NATS_SERVER_BIN=$NATS_SERVER_BIN is not nats-server v$NATS_VERSION"; exit 1; }
  printf '%s\n' "$NATS_SERVER_BIN"
  exit 0
fi

tools="${CARHEALTH_TOOLS:-/var/tmp/carhealth-tools}"
target="$tools/nats-server-$NATS_VERSION"
bin="$target/nats-server"
if version_ok "$bin"; then printf '%s\n' "$bin"; exit 0; fi

mkdir -p "$tools"
exec 9>"$tools/.nats-server.lock"
flock -w 600 9 || { log "another install holds $tools/.nats-server.lock"; exit 1; }
# Another checkout may have installed it while this one waited for the lock.
if version_ok "$bin"; then printf '%s\n' "$bin"; exit 0; fi

command -v apt-get >/dev/null 2>&1 || { log "apt-get is needed to fetch nats-server $NATS_VERSION from Debian $NATS_SUITE"; exit 1; }
apt_dir="$tools/apt-$NATS_SUITE"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
echo "deb http://deb.debian.org/debian $NATS_SUITE main" >"$apt_dir/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)
log "fetching nats-server $NATS_VERSION from Debian $NATS_SUITE (private apt state in $apt_dir)"
apt-get "${apt_opts[@]}" update -qq >&2
deb_version=$NATS_DEB_VERSION
if ! apt-cache "${apt_opts[@]}" madison nats-server | awk '{print $3}' | grep -qxF "$NATS_DEB_VERSION"; then
  deb_version=$(apt-cache "${apt_opts[@]}" madison nats-server | awk '{print $3}' | grep -E "^${NATS_VERSION//./\\.}-" | head -n1 || true)
  [ -n "$deb_version" ] || { log "Debian $NATS_SUITE has no nats-server $NATS_VERSION any more: set NATS_SERVER_BIN"; exit 1; }
fi
work=$(mktemp -d "$tools/.nats-server.XXXXXX")
trap 'rm -rf "$work"' EXIT
# As root apt downloads as its _apt user, which cannot write into the private folders: download as root there
# (the package is still checked against the signed Release file).
[ "$(id -u)" != 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
(cd "$work" && apt-get "${apt_opts[@]}" download -qq "nats-server=$deb_version" >&2)
deb=$(echo "$work"/nats-server_*.deb)
# The package is built for sid: refuse it when it needs a newer glibc than this machine has (its Depends, which
# dpkg-shlibdeps derives from the binary's symbol versions).
libc_need=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -nE 's/^ *libc6 \(>= ([^)]+)\).*/\1/p' | head -n1)
libc_have=$(getconf GNU_LIBC_VERSION | awk '{print $2}')
if [ -n "$libc_need" ] && ! dpkg --compare-versions "$libc_have" ge "$libc_need"; then
  log "nats-server $deb_version needs libc6 >= $libc_need, this machine has $libc_have: set NATS_SERVER_BIN"; exit 1
fi
log "nats-server $deb_version needs libc6 >= ${libc_need:-(none)}; this machine has $libc_have"
dpkg-deb -x "$deb" "$work/root"
mkdir -p "$work/dist"
install -m 755 "$work/root/usr/sbin/nats-server" "$work/dist/nats-server"
printf '%s\n' "$deb_version" >"$work/dist/DEBIAN-VERSION"
version_ok "$work/dist/nats-server" || { log "the unpacked binary is not v$NATS_VERSION: $("$work/dist/nats-server" --version 2>&1)"; exit 1; }
rm -rf "$target"
mv "$work/dist" "$target"
log "installed $bin ($deb_version)"
printf '%s\n' "$bin"
