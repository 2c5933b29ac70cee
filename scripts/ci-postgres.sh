#!/usr/bin/env bash
# Gives the test suite a PostgreSQL on 127.0.0.1:5432 with role dozvon/dozvon and the
# databases dozvon and dozvon_test. Idempotent: installs Debian's postgresql only when
# missing, starts the cluster only when it is down, creates the role and databases only
# when absent. Prints the test URL (DOZVON_TEST_PG_URL) on stdout; progress goes to stderr.
set -euo pipefail

PG_USER=${DOZVON_PG_USER:-dozvon}
PG_PASSWORD=${DOZVON_PG_PASSWORD:-dozvon}
PG_PORT=${DOZVON_PG_PORT:-5432}
log() { echo "ci-postgres: $*" >&2; }

# Only the URL may reach stdout, since callers capture it with $(...). Everything the setup
# prints (pg_ctlcluster says "Removed stale pid file." on stdout) goes to stderr. No extra
# file descriptor is opened for this: the server started here would inherit it and keep the
# caller's $(...) waiting for ever.
setup() {
  if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    if [ "$(id -u)" != "0" ]; then
      log "PostgreSQL is not installed and we are not root: sudo apt-get install postgresql"
      exit 1
    fi
    log "installing postgresql"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi

  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  PG_VERSION=$(basename "$(dirname "$PG_BIN")")

  as_postgres() {
    if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
  }

  if command -v pg_ctlcluster >/dev/null && command -v pg_lsclusters >/dev/null; then
    # Debian's wrapper: the cluster the package created (or a new one when the package was
    # installed without one, as in some minimal images).
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$PG_VERSION main$"; then
      log "creating cluster $PG_VERSION/main"
      pg_createcluster "$PG_VERSION" main -p "$PG_PORT" >/dev/null
    fi
    if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
      log "starting cluster $PG_VERSION/main"
      pg_ctlcluster "$PG_VERSION" main start
    fi
    PG_PORT=$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $3}')
  else
    # No Debian wrapper: a private data directory run with pg_ctl as the postgres user.
    DATA=/var/lib/postgresql/dozvon-ci
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA" && chown postgres:postgres "$DATA"
      as_postgres "$PG_BIN/initdb -D $DATA -A scram-sha-256 --auth-local=trust -U postgres >/dev/null"
    fi
    if ! as_postgres "$PG_BIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
      as_postgres "$PG_BIN/pg_ctl -D $DATA -l $DATA/server.log -o '-p $PG_PORT -k /tmp' -w start" >/dev/null
    fi
  fi

  # Wait for the server to accept connections (start returns once the postmaster is up, but be sure).
  for _ in $(seq 1 50); do
    if as_postgres "psql -p $PG_PORT -h /var/run/postgresql -Atqc 'select 1'" >/dev/null 2>&1 || as_postgres "psql -p $PG_PORT -h /tmp -Atqc 'select 1'" >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  SOCK=/var/run/postgresql
  as_postgres "psql -p $PG_PORT -h $SOCK -Atqc 'select 1'" >/dev/null 2>&1 || SOCK=/tmp
  psql_admin() { as_postgres "psql -p $PG_PORT -h $SOCK -v ON_ERROR_STOP=1 -Atq $*"; }

  if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname='$PG_USER'\"")" != "1" ]; then
    log "creating role $PG_USER"
    psql_admin "-c \"create role $PG_USER login password '$PG_PASSWORD' createdb\""
  else
    psql_admin "-c \"alter role $PG_USER login password '$PG_PASSWORD' createdb\""
  fi
  for db in dozvon dozvon_test; do
    if [ "$(psql_admin "-c \"select 1 from pg_database where datname='$db'\"")" != "1" ]; then
      log "creating database $db"
      psql_admin "-c \"create database $db owner $PG_USER\""
    fi
  done
}
setup >&2

echo "postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/dozvon_test"
