#!/usr/bin/env bash
# Throwaway Redis for the shared page cache (Debian's redis-server).
#
#   .ci/redis.sh start   # prints REDIS_URL, writes $STATE_DIR/redis.env
#   source "${STATE_DIR:-/tmp/ovi-ci}/redis.env"   # exports REDIS_URL
#   .ci/redis.sh stop    # idempotent
#
# In memory only (no snapshots, no append-only file), on a free loopback port,
# owned by the unprivileged CI user.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  echo "${BASH_SOURCE[0]}: run it (bash ${BASH_SOURCE[0]} start), then source the env file it writes" >&2
  return 1
fi
set -euo pipefail

STATE_DIR="${STATE_DIR:-/tmp/ovi-ci}"
CI_USER="${OVI_CI_USER:-ovici}"
ENV_FILE="$STATE_DIR/redis.env"
STATE_FILE="$STATE_DIR/redis.state"

log() { echo "redis.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_installed() {
  command -v redis-server >/dev/null && return 0
  [ "$(id -u)" -eq 0 ] || die "redis-server is not installed and we are not root to install it"
  log "installing redis-server (apt-get)..."
  local apt_log
  apt_log="$(mktemp)"
  # The package starts a system-wide server on :6379 where systemd runs; we do not use it.
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      redis-server; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    die "apt-get could not install redis-server"
  fi
  rm -f "$apt_log"
}

cmd_stop() {
  [ -f "$STATE_FILE" ] || { rm -f "$ENV_FILE"; return 0; }
  local REDIS_DIR=""
  # shellcheck disable=SC1090
  . "$STATE_FILE"
  if [ -n "$REDIS_DIR" ] && [ -s "$REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
    sleep 0.5
  fi
  [ -n "$REDIS_DIR" ] && rm -rf "$REDIS_DIR"
  rm -f "$STATE_FILE" "$ENV_FILE"
  log "stopped"
}

cmd_start() {
  mkdir -p "$STATE_DIR"
  cmd_stop
  ensure_installed
  ensure_user
  local REDIS_DIR PORT
  REDIS_DIR="$(mktemp -d /tmp/ovi-redis.XXXXXX)"
  echo "REDIS_DIR='$REDIS_DIR'" > "$STATE_FILE"
  [ "$(id -u)" -eq 0 ] && chown "$CI_USER:" "$REDIS_DIR"
  PORT="$(free_port)"
  as_owner redis-server --bind 127.0.0.1 --port "$PORT" --dir "$REDIS_DIR" --save '' --appendonly no \
    --maxmemory 256mb --maxmemory-policy allkeys-lru \
    --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
  local i
  for i in $(seq 1 50); do
    if python3 -c "import socket; s=socket.create_connection(('127.0.0.1', $PORT), 1); s.sendall(b'PING\r\n'); assert s.recv(7) == b'+PONG\r\n'" 2>/dev/null; then
      break
    fi
    [ "$i" -eq 50 ] && { tail -n 20 "$REDIS_DIR/redis.log" >&2 || true; cmd_stop; die "redis-server did not start"; }
    sleep 0.2
  done
  umask 077
  printf "export REDIS_URL='%s'\n" "redis://127.0.0.1:$PORT/0" > "$ENV_FILE"
  log "ready on 127.0.0.1:$PORT"
  echo "REDIS_URL=redis://127.0.0.1:$PORT/0"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 start|stop   (STATE_DIR=${STATE_DIR})" >&2; exit 2 ;;
esac
