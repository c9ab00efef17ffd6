#!/usr/bin/env bash
# Throwaway PostgreSQL 15 server for test suites.
#
#   .ci/postgres.sh start   # prints DATABASE_URL and writes $STATE_DIR/postgres.env
#   source "${STATE_DIR:-/tmp/ovi-ci}/postgres.env"   # exports DATABASE_URL
#   .ci/postgres.sh stop    # idempotent
#
# The cluster lives in a fresh temp dir, listens on 127.0.0.1 only, on a free
# port, and is owned by an unprivileged user because postgres refuses to run as
# root. The role is a superuser so Django can create test_ovi and extensions
# such as pg_trgm.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  echo "${BASH_SOURCE[0]}: run it (bash ${BASH_SOURCE[0]} start), then source the env file it writes" >&2
  return 1
fi
set -euo pipefail

STATE_DIR="${STATE_DIR:-/tmp/ovi-ci}"
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
CI_USER="${OVI_CI_USER:-ovici}"
DB_NAME=ovi
DB_USER=ovi
ENV_FILE="$STATE_DIR/postgres.env"
# Internal bookkeeping for `stop`; not meant to be sourced by callers.
STATE_FILE="$STATE_DIR/postgres.state"

log() { echo "postgres.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_installed() {
  [ -x "$PG_BIN/initdb" ] && return 0
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL $PG_VERSION is not installed and we are not root to install it"
  log "installing postgresql-$PG_VERSION (apt-get)..."
  # The package normally creates and starts a default cluster on :5432, which
  # we do not use and which would stay running (or clash with a busy port).
  local had_main=no
  [ -d "/etc/postgresql/$PG_VERSION/main" ] && had_main=yes
  if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
  fi
  local apt_log
  apt_log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  # --force-confold keeps the createcluster.conf written above without a prompt.
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      "postgresql-$PG_VERSION"; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    die "apt-get could not install postgresql-$PG_VERSION"
  fi
  rm -f "$apt_log"
  if [ "$had_main" = no ] && [ -d "/etc/postgresql/$PG_VERSION/main" ]; then
    pg_dropcluster --stop "$PG_VERSION" main >/dev/null 2>&1 || true
  fi
  [ -x "$PG_BIN/initdb" ] || die "install finished but $PG_BIN/initdb is missing"
}

cmd_stop() {
  [ -f "$STATE_FILE" ] || { rm -f "$ENV_FILE"; return 0; }
  local PG_DIR=""
  # shellcheck disable=SC1090
  . "$STATE_FILE"
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      # pg_ctl fails when the server is already gone; make sure nothing lingers.
      if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        kill -9 "$(head -n1 "$PG_DIR/data/postmaster.pid")" 2>/dev/null || true
      fi
    fi
  fi
  [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
  rm -f "$STATE_FILE" "$ENV_FILE"
  log "stopped"
}

# Show why, then clean up so a failed start leaves no server behind.
fail_start() {
  local log_file="$1" msg="$2"
  [ -f "$log_file" ] && { log "last lines of $log_file:"; tail -n 40 "$log_file" >&2; }
  cmd_stop
  die "$msg"
}

cmd_start() {
  local t0=$SECONDS
  mkdir -p "$STATE_DIR"
  cmd_stop  # a previous run may have left a cluster behind

  ensure_installed
  ensure_user

  local PG_DIR PORT PASSWORD
  PG_DIR="$(mktemp -d /tmp/ovi-pg.XXXXXX)"
  # Record the dir before anything can fail so `stop` can clean it up.
  echo "PG_DIR='$PG_DIR'" > "$STATE_FILE"
  [ "$(id -u)" -eq 0 ] && chown "$CI_USER:" "$PG_DIR"

  PASSWORD="$(python3 -c 'import secrets; print(secrets.token_hex(12))')"
  as_owner sh -c "umask 077; echo '$PASSWORD' > '$PG_DIR/pwfile'"

  # Local socket: trust (used only for setup here); TCP: password, as in production.
  as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$DB_USER" --pwfile="$PG_DIR/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
    >"$PG_DIR/initdb.log" 2>&1 || fail_start "$PG_DIR/initdb.log" "initdb failed"
  rm -f "$PG_DIR/pwfile"

  PORT="$(free_port)"
  # Durability settings are off: the data is thrown away and tests run faster.
  if ! as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PG_DIR \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
    fail_start "$PG_DIR/server.log" "server did not start"
  fi

  # pg_ctl -w already waited; this proves the TCP + password path callers will use.
  local i
  for i in $(seq 1 30); do
    if PGPASSWORD="$PASSWORD" "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" \
        -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
      break
    fi
    [ "$i" -eq 30 ] && fail_start "$PG_DIR/server.log" "server not accepting TCP connections"
    sleep 1
  done
  PGPASSWORD="$PASSWORD" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME" \
    || fail_start "$PG_DIR/server.log" "could not create database $DB_NAME"

  local url="postgres://$DB_USER:$PASSWORD@127.0.0.1:$PORT/$DB_NAME"
  umask 077
  printf "export DATABASE_URL='%s'\n" "$url" > "$ENV_FILE"
  echo "PG_PORT='$PORT'" >> "$STATE_FILE"
  log "ready in $((SECONDS - t0))s on 127.0.0.1:$PORT (dir $PG_DIR); source $ENV_FILE"
  echo "DATABASE_URL=$url"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 start|stop   (STATE_DIR=${STATE_DIR})" >&2; exit 2 ;;
esac
