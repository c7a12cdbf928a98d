#!/usr/bin/env bash
# Which checkout a database on the local Postgres belongs to. Sourced by scripts/infra.sh.
#
# Every checkout on a machine shares one Postgres server (the first one started, port 5433), so without care a
# second checkout would migrate and seed into the first one's database. Each database the scripts create or
# migrate carries its owner, the checkout's folder, as the database's COMMENT (no table: Prisma's migrations
# stay the schema's only author). A checkout refuses a database marked by another one unless
# CARHEALTH_DB_SHARED=true says the sharing is meant; by default each checkout simply gets its own database.

# database_owner <name>: the checkout folder recorded on that database (empty: none recorded, or no database).
database_owner() {
  local comment
  comment="$(psql "$PG_ADMIN_URL" -Atqc "select shobj_description(oid, 'pg_database') from pg_database where datname = '$1'")"
  [[ "$comment" == "carhealth checkout "* ]] && printf '%s\n' "${comment#carhealth checkout }"
  return 0
}

database_exists() { [ "$(psql "$PG_ADMIN_URL" -Atqc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

# claim_database <name>: marks it as this checkout's, or refuses (exit status 1, with the way out) when it
# belongs to another checkout and sharing was not asked for.
claim_database() {
  local owner; owner="$(database_owner "$1")"
  if [ "$owner" = "$PROJECT_DIR" ]; then return 0; fi
  if [ -n "$owner" ] && [ "${CARHEALTH_DB_SHARED:-false}" != true ]; then
    log "postgres: database $1 belongs to the checkout $owner, not to $PROJECT_DIR."
    log "  Refusing to migrate or seed into it. Leave CARHEALTH_PG_DB / TEST_DB unset to get a database of this"
    log "  checkout's own, name another one, or set CARHEALTH_DB_SHARED=true if sharing it is what you want."
    return 1
  fi
  if [ -n "$owner" ]; then
    log "postgres: sharing database $1 with the checkout $owner (CARHEALTH_DB_SHARED=true)"
    return 0
  fi
  psql "$PG_ADMIN_URL" -qc "comment on database \"$1\" is 'carhealth checkout $PROJECT_DIR'" >/dev/null
}

# default_database_name: `carhealth` for the checkout it belongs to (or, when nobody recorded an owner yet, for
# the checkout whose state folder holds the server's data: the one that has been using it), and
# `carhealth_<checkout id>` for every other checkout. The id is the one in the state folder's name.
default_database_name() {
  local owner
  if ! database_exists carhealth; then echo carhealth; return; fi
  owner="$(database_owner carhealth)"
  if [ "$owner" = "$PROJECT_DIR" ] || { [ -z "$owner" ] && [ -s "$CARHEALTH_STATE/pg/PG_VERSION" ]; }; then
    echo carhealth
  else
    echo "carhealth_$(printf '%s' "$PROJECT_DIR" | md5sum | cut -c1-10)"
  fi
}
