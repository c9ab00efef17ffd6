#!/usr/bin/env bash
# Throwaway single-node Elasticsearch 8.19 for test suites.
#
#   .ci/elasticsearch.sh start   # prints ELASTICSEARCH_URL, writes $STATE_DIR/elasticsearch.env
#   source "${STATE_DIR:-/tmp/ovi-ci}/elasticsearch.env"   # exports ELASTICSEARCH_URL
#   .ci/elasticsearch.sh stop    # idempotent
#
# The only Elasticsearch distribution published to Maven Central is the
# "integ-test-zip": no bundled JDK and only a handful of modules (no
# analysis-common, see docs/elasticsearch-ci.md), so it runs on the machine's
# JDK 17. Elasticsearch refuses to run as root, hence the unprivileged user.
if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  echo "${BASH_SOURCE[0]}: run it (bash ${BASH_SOURCE[0]} start), then source the env file it writes" >&2
  return 1
fi
set -euo pipefail

STATE_DIR="${STATE_DIR:-/tmp/ovi-ci}"
ES_VERSION="${ES_VERSION:-8.19.21}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/ovi"
ES_ZIP="$CACHE_DIR/elasticsearch-$ES_VERSION.zip"
CI_USER="${OVI_CI_USER:-ovici}"
ES_HEAP="${ES_HEAP:-512m}"
START_TIMEOUT="${ES_START_TIMEOUT:-120}"
ENV_FILE="$STATE_DIR/elasticsearch.env"
# Internal bookkeeping for `stop`; not meant to be sourced by callers.
STATE_FILE="$STATE_DIR/elasticsearch.state"
# Optional source of a stable analysis plugin (Java files + named_components.json),
# compiled against the node's own jars and installed before start; see
# docs/elasticsearch-ci.md. Skipped when the directory does not exist.
PLUGIN_SRC="${ES_PLUGIN_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/es-analysis-plugin}"

log() { echo "elasticsearch.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_install() {
  [ "$(id -u)" -eq 0 ] || die "missing $*, and not root to install it"
  log "installing $* (apt-get)..."
  local apt_log
  apt_log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    die "apt-get could not install $*"
  fi
  rm -f "$apt_log"
}

# Elasticsearch 8.x needs Java 17+; pin 17 so a newer side-by-side JDK does not
# pick itself up via PATH.
find_jdk17() {
  local cand
  for cand in "${ES_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-*; do
    if [ -z "$cand" ] || [ ! -x "$cand/bin/java" ]; then continue; fi
    if "$cand/bin/java" -version 2>&1 | head -n1 | grep -q '"17\.'; then
      echo "$cand"
      return 0
    fi
  done
  return 1
}

ensure_tools() {
  local missing=()
  command -v mvn >/dev/null || missing+=(maven)
  command -v unzip >/dev/null || missing+=(unzip)
  command -v curl >/dev/null || missing+=(curl ca-certificates)
  if [ -d "$PLUGIN_SRC" ]; then
    # The plugin is compiled here, so a JDK (javac, jar), not just a JRE.
    [ -x "$(find_jdk17 || true)/bin/javac" ] || missing+=(openjdk-17-jdk-headless)
  else
    find_jdk17 >/dev/null || missing+=(openjdk-17-jre-headless)
  fi
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

fetch_zip() {
  if [ -s "$ES_ZIP" ]; then
    log "using cached $ES_ZIP"
    return 0
  fi
  log "fetching $ES_ARTIFACT with mvn..."
  mkdir -p "$CACHE_DIR"
  local tmp
  tmp="$(mktemp -d "$CACHE_DIR/dl.XXXXXX")"
  # An explicit plugin version: the one Maven 3.8 defaults to cannot copy
  # outside a project.
  if ! mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$ES_ARTIFACT" -DoutputDirectory="$tmp" -Dmdep.stripVersion=false >"$tmp/mvn.log" 2>&1; then
    tail -n 30 "$tmp/mvn.log" >&2
    rm -rf "$tmp"
    die "mvn could not fetch $ES_ARTIFACT"
  fi
  # Rename in place so an interrupted download never looks like a cache hit.
  mv "$tmp/elasticsearch-$ES_VERSION.zip" "$ES_ZIP"
  rm -rf "$tmp"
}

# Stable plugins need no Elasticsearch build tooling: javac against the jars in
# lib/ and a descriptor are enough.
build_plugin() {
  local home="$1" jdk="$2" name work
  name="$(basename "$PLUGIN_SRC")"
  # Build inside the node's dir so `stop` cleans up after a failed build too.
  work="$(dirname "$home")/plugin-build"
  mkdir -p "$work"
  log "building plugin $name from $PLUGIN_SRC"
  find "$PLUGIN_SRC" -name '*.java' > "$work/sources"
  [ -s "$work/sources" ] || fail_start "" "no .java files under $PLUGIN_SRC"
  mkdir -p "$work/classes" "$work/plugin"
  "$jdk/bin/javac" -nowarn --release 17 -d "$work/classes" \
    -cp "$home/lib/*" @"$work/sources" || fail_start "" "plugin $name does not compile"
  "$jdk/bin/jar" cf "$work/plugin/$name.jar" -C "$work/classes" .
  cp "$PLUGIN_SRC/named_components.json" "$work/plugin/"
  cat > "$work/plugin/stable-plugin-descriptor.properties" <<EOF
name=$name
description=$name (built by .ci/elasticsearch.sh)
version=$ES_VERSION
java.version=17
elasticsearch.version=$ES_VERSION
EOF
  mv "$work/plugin" "$home/plugins/$name"
  rm -rf "$work"
}

cmd_stop() {
  [ -f "$STATE_FILE" ] || { rm -f "$ENV_FILE"; return 0; }
  local ES_DIR=""
  # shellcheck disable=SC1090
  . "$STATE_FILE"
  if [ -n "$ES_DIR" ] && [ -s "$ES_DIR/es.pid" ]; then
    local pid _
    pid="$(cat "$ES_DIR/es.pid")"
    if kill "$pid" 2>/dev/null; then
      for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  [ -n "$ES_DIR" ] && rm -rf "$ES_DIR"
  rm -f "$STATE_FILE" "$ENV_FILE"
  log "stopped"
}

# Show why, then clean up so a failed start leaves no JVM behind.
fail_start() {
  local log_file="$1" msg="$2"
  [ -f "$log_file" ] && { log "last lines of $log_file:"; tail -n 60 "$log_file" >&2; }
  cmd_stop
  die "$msg"
}

cmd_start() {
  local t0=$SECONDS
  mkdir -p "$STATE_DIR"
  cmd_stop  # a previous run may have left a node behind

  ensure_tools
  ensure_user
  fetch_zip

  local ES_DIR HOME_DIR PORT TPORT JDK
  JDK="$(find_jdk17)" || die "no JDK 17 found"
  ES_DIR="$(mktemp -d /tmp/ovi-es.XXXXXX)"
  # Record the dir before anything can fail so `stop` can clean it up.
  echo "ES_DIR='$ES_DIR'" > "$STATE_FILE"
  HOME_DIR="$ES_DIR/elasticsearch-$ES_VERSION"
  # Unzip as the caller: the cache may sit in a home dir the owner cannot read.
  unzip -q "$ES_ZIP" -d "$ES_DIR"
  mkdir -p "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/tmp"
  if [ -d "$PLUGIN_SRC" ]; then
    build_plugin "$HOME_DIR" "$JDK"
  fi
  [ "$(id -u)" -eq 0 ] && chown -R "$CI_USER:" "$ES_DIR"

  PORT="$(free_port)"
  TPORT="$(free_port)"
  while [ "$TPORT" = "$PORT" ]; do TPORT="$(free_port)"; done
  # Disk watermarks off: a nearly full CI disk must not turn indices read-only.
  # Wildcard index deletes allowed: test teardown may drop "test_*".
  as_owner tee "$HOME_DIR/config/elasticsearch.yml" >/dev/null <<EOF
cluster.name: ovi-ci
node.name: ovi-ci
path.data: $ES_DIR/data
path.logs: $ES_DIR/logs
network.host: 127.0.0.1
http.port: $PORT
transport.port: $TPORT
discovery.type: single-node
xpack.security.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF

  log "starting Elasticsearch $ES_VERSION on 127.0.0.1:$PORT (JDK $JDK)..."
  # -d daemonizes; the CLI returns once the node has started or failed.
  # CLI_JAVA_OPTS: the launcher leaves temp dirs behind; keep them in ES_DIR.
  if ! as_owner env ES_JAVA_HOME="$JDK" ES_TMPDIR="$ES_DIR/tmp" \
      CLI_JAVA_OPTS="-Djava.io.tmpdir=$ES_DIR/tmp" \
      ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP ${ES_EXTRA_JAVA_OPTS:-}" \
      "$HOME_DIR/bin/elasticsearch" -d -p "$ES_DIR/es.pid" >"$ES_DIR/launch.log" 2>&1; then
    cat "$ES_DIR/launch.log" >&2
    fail_start "$ES_DIR/logs/ovi-ci.log" "Elasticsearch did not start"
  fi

  local url="http://127.0.0.1:$PORT"
  local deadline=$((SECONDS + START_TIMEOUT))
  until curl -fsS -m 10 "$url/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$(cat "$ES_DIR/es.pid" 2>/dev/null)" 2>/dev/null; then
      fail_start "$ES_DIR/logs/ovi-ci.log" "Elasticsearch not healthy after $((SECONDS - t0))s"
    fi
    sleep 1
  done

  umask 077
  printf "export ELASTICSEARCH_URL='%s'\n" "$url" > "$ENV_FILE"
  log "ready in $((SECONDS - t0))s; source $ENV_FILE"
  echo "ELASTICSEARCH_URL=$url"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  *) echo "usage: $0 start|stop   (STATE_DIR=${STATE_DIR})" >&2; exit 2 ;;
esac
