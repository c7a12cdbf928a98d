#!/usr/bin/env bash
# Secrets of a local run (`npm start`, `npm test`), kept in the checkout's state folder. Source it.
# There is no built-in JWT secret (libs/config refuses the old published defaults): the first run generates a
# random one into $CARHEALTH_STATE/jwt-secret (mode 0600, never in git) and every later run reuses it, so
# sessions outlive a restart. A JWT_SECRET given in the environment wins and is not written anywhere.

# ensure_secret_file <path>: prints the secret kept in <path>, creating it (48 random bytes, base64url) first.
ensure_secret_file() {
  local path="$1"
  if [ ! -s "$path" ]; then
    mkdir -p "$(dirname "$path")"
    # Written aside with the umask closed, then moved into place: never readable by others, never half-written.
    local temporary="$path.$$.tmp"
    (umask 077 && node -e "process.stdout.write(require('node:crypto').randomBytes(48).toString('base64url'))" >"$temporary")
    mv -n "$temporary" "$path"
    rm -f "$temporary"
    echo "[secrets] generated $path" >&2
  fi
  # An older file made readable by hand is closed again: it signs every session of this platform.
  chmod 600 "$path"
  cat "$path"
}

if [ -z "${JWT_SECRET:-}" ]; then
  JWT_SECRET="$(ensure_secret_file "$CARHEALTH_STATE/jwt-secret")"
  export JWT_SECRET
fi
