# Shared by the CI server scripts (postgres.sh, elasticsearch.sh, redis.sh):
# source it after setting CI_USER. The servers run as that unprivileged user,
# since PostgreSQL and Elasticsearch refuse to run as root.

# Run a command as the unprivileged owner when we are root; as ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$CI_USER" -- "$@"
  else
    "$@"
  fi
}

ensure_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id -u "$CI_USER" >/dev/null 2>&1 && return 0
  # Another CI script may be creating the same user right now.
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$CI_USER" 2>/dev/null \
    || id -u "$CI_USER" >/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
