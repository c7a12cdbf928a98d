#!/usr/bin/env bash
# `npm run lint`: types (server and front-ends), ESLint, Prettier and the import boundaries (README "Lint and
# boundaries"). Every step runs even when an earlier one fails, so one run lists every problem; the exit status is
# non-zero if any failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The type-aware rules read the generated Prisma client (gitignored), as setup.sh generates it. The CLI only needs a
# non-empty DATABASE_URL to stay offline (see shared ENVIRONMENT-NOTES); nothing connects.
generated=libs/database/src/generated/prisma/client.ts
if [ ! -f "$generated" ] || [ prisma/schema.prisma -nt "$generated" ]; then
  DATABASE_URL="${DATABASE_URL:-postgresql://lint@127.0.0.1/lint}" npx prisma generate >/dev/null
fi

status=0
step() {
  local name="$1" started=$SECONDS
  shift
  if "$@"; then
    echo "[lint] $name ok ($((SECONDS - started)) s)" >&2
  else
    echo "[lint] $name FAILED ($((SECONDS - started)) s)" >&2
    status=1
  fi
}

# ESLint's type-aware pass is the longest step (about a minute on a fresh clone): it runs beside the others, on the
# second core, its report printed when it is done. The cache keys on file contents; a type change in one file can
# leave another's cached result stale, so CI (a fresh clone, no cache) is the authority.
eslint_report=$(mktemp)
trap 'rm -f "$eslint_report"' EXIT
(
  step eslint npx eslint --cache --cache-location .eslintcache --cache-strategy content .
  exit $status
) >"$eslint_report" 2>&1 &
eslint_pid=$!

step tsc npx tsc -p tsconfig.json --noEmit
# The browser front-ends are plain ES modules without a build: tsc checks the JS files marked // @ts-check against
# their JSDoc (DOM lib), and the service worker on its own (WebWorker lib; the two libs conflict in one program).
step frontend-types npx tsc -p tsconfig.frontend.json
step sw-types npx tsc -p tsconfig.sw.json
step prettier npx prettier --check --log-level warn .
step depcruise npx depcruise apps libs test --config .dependency-cruiser.cjs --output-type err
wait "$eslint_pid" || status=1
cat "$eslint_report" >&2
exit $status
