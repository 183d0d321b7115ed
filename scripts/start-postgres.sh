#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: a fresh data directory in a temporary
# folder, listening only on 127.0.0.1 on a free port, default settings otherwise (fsync and all),
# with an empty database `gocua_test`. It also speaks TLS (ssl=on, a self-signed certificate for
# 127.0.0.1 made with `openssl req` at start), so the tests can connect with sslmode=require;
# plain connections work as before. Debian's `postgresql` package provides the binaries
# (scripts/install-deps.sh installs it).
#
#   bash scripts/start-postgres.sh            starts a cluster; prints shell assignments:
#                                               GOCUA_TEST_PG_URL=postgres://postgres@127.0.0.1:PORT/gocua_test
#                                               GOCUA_TEST_PG_DIR=/tmp/gocua-pg.XXXXXX
#   bash scripts/start-postgres.sh stop DIR    stops the cluster in DIR and deletes DIR.
#   bash scripts/start-postgres.sh status DIR  exit status 0 when the cluster in DIR runs.
#
# Typical use (this is what scripts/test.sh does):
#   eval "$(bash scripts/start-postgres.sh)"
#   trap 'bash scripts/start-postgres.sh stop "$GOCUA_TEST_PG_DIR"' EXIT
#   export GOCUA_TEST_PG_URL
#
# The URL is the *admin* database of the cluster: the end-to-end tests connect to it and create
# one fresh database per test (gocua_e2e_<random>), so tests are independent and run in parallel.
# initdb refuses to run as root, so under root the cluster belongs to the `postgres` OS user.
# Authentication is `trust`: the cluster is reachable only from this machine and dies with the
# test run.
set -euo pipefail

log() { echo "start-postgres: $*" >&2; }

find_bindir() {
  local dir
  for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return 0
  fi
  return 1
}

BINDIR="$(find_bindir)" || {
  log "PostgreSQL server binaries not found; run scripts/install-deps.sh (apt-get install postgresql)"
  exit 1
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop_cluster() {
  local dir="$1"
  [ -n "$dir" ] || { log "stop: no directory given"; return 1; }
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$BINDIR/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  # Only ever delete what this script created.
  case "$(basename "$dir")" in
    gocua-pg.*) rm -rf -- "$dir" ;;
    *) log "not deleting $dir (not made by this script)" ;;
  esac
}

case "${1:-start}" in
  stop)
    stop_cluster "${2:-}"
    exit 0
    ;;
  status)
    [ -n "${2:-}" ] && as_owner "$BINDIR/pg_ctl" -D "$2/data" status >/dev/null 2>&1
    exit $?
    ;;
  start) ;;
  *)
    log "usage: $0 [start | stop DIR | status DIR]"
    exit 2
    ;;
esac

if [ "$(id -u)" -eq 0 ] && ! getent passwd postgres >/dev/null; then
  log "running as root but there is no 'postgres' OS user to own the cluster"
  exit 1
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/gocua-pg.XXXXXX")"
chmod 755 "$DIR"
mkdir -p "$DIR/data"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$DIR"
chmod 700 "$DIR/data"
cleanup_on_failure() { stop_cluster "$DIR"; }
trap cleanup_on_failure ERR

as_owner "$BINDIR/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1 || {
  log "initdb failed:"
  cat "$DIR/initdb.log" >&2
  exit 1
}

# A self-signed certificate for the TLS tests, valid two days, in the data directory.
openssl req -new -x509 -days 2 -nodes -newkey rsa:2048 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$DIR/data/server.key" -out "$DIR/data/server.crt" >"$DIR/openssl.log" 2>&1 || {
  log "openssl req failed:"
  cat "$DIR/openssl.log" >&2
  exit 1
}
chmod 600 "$DIR/data/server.key"
[ "$(id -u)" -eq 0 ] && chown postgres: "$DIR/data/server.key" "$DIR/data/server.crt"

port_free() {
  # Nothing answers on the port (bash's /dev/tcp connects, it does not listen).
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

started=""
for _ in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 40000))
  port_free "$port" || continue
  # Sockets in the data dir (the default /var/run/postgresql may not exist or be writable).
  if as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR -c ssl=on" start >/dev/null 2>&1; then
    started="$port"
    break
  fi
  # Most likely another process took the port between the check and the start: try another.
  as_owner "$BINDIR/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
done
if [ -z "$started" ]; then
  log "could not start PostgreSQL; its log:"
  cat "$DIR/server.log" >&2 2>/dev/null || true
  stop_cluster "$DIR"
  exit 1
fi

as_owner "$BINDIR/psql" -X -q -h 127.0.0.1 -p "$started" -U postgres -d postgres \
  -c "CREATE DATABASE gocua_test" >/dev/null

log "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$started (data in $DIR)"
echo "GOCUA_TEST_PG_URL=postgres://postgres@127.0.0.1:$started/gocua_test"
echo "GOCUA_TEST_PG_DIR=$DIR"
