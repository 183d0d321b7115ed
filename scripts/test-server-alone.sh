#!/usr/bin/env bash
# The server as operators build it for production: `--no-default-features`, so without `gocua
# demo` and without the device library it links (gocua-core, gocua-sim, a blocking HTTP client).
# Builds and links that binary, then checks that it
#   1. does not offer `demo` (clap refuses the word, exit 2);
#   2. prepares an empty SQLite database through an admin command (`gocua admin units`);
#   3. serves the phone API and the dashboard on a loopback port: /v1/health answers 200 and the
#      sign-in page is in Vietnamese;
#   4. stops cleanly on SIGTERM.
# The build resolves other features than `cargo test --workspace`, so most dependencies are
# compiled again (a few minutes); CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build -p gocua-server --no-default-features --bin gocua
bin="${CARGO_TARGET_DIR:-$PWD/target}/debug/gocua"

work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "server without the demo: $*" >&2
  [ -f "$work/serve.log" ] && sed 's/^/  serve: /' "$work/serve.log" >&2
  exit 1
}

# 1. No demo in this build.
set +e
"$bin" demo --help > "$work/demo.out" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "\`gocua demo\` exited $rc, expected 2 (unknown subcommand)"
grep -q "unrecognized subcommand 'demo'" "$work/demo.out" \
  || fail "\`gocua demo\` did not say it is unknown: $(head -3 "$work/demo.out")"

# 2. An admin command creates and migrates the database.
"$bin" admin --db "$work/gocua.db" units > "$work/units.out" 2>&1 \
  || fail "\`gocua admin units list\` failed: $(cat "$work/units.out")"
[ -s "$work/gocua.db" ] || fail "no database file after an admin command"

# 3. Serve on a free loopback port.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --db "$work/gocua.db" --listen "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$port/v1/health" > "$work/health.out" 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || fail "gocua serve exited before answering"
  sleep 0.1
done
[ -s "$work/health.out" ] || fail "/v1/health did not answer within 10 s"
status=$(curl -s -o "$work/login.html" -w '%{http_code}' "http://127.0.0.1:$port/login")
[ "$status" = 200 ] || fail "/login answered $status"
grep -q "Đăng nhập" "$work/login.html" || fail "the login page has no \"Đăng nhập\""

# 4. SIGTERM stops it with status 0.
kill -TERM "$server_pid"
set +e
wait "$server_pid"
rc=$?
set -e
server_pid=
[ "$rc" -eq 0 ] || fail "gocua serve exited $rc on SIGTERM"

echo "server without the demo: built, no demo command, admin and serve work, clean stop"
