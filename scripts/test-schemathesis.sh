#!/usr/bin/env bash
# API contract fuzzing: schemathesis (pinned below, in a virtualenv under build/) generates
# requests from docs/openapi.yaml and sends them to a real `gocua serve` on 127.0.0.1, with the
# token of a really enrolled phone. It fails on any 5xx and on any answer whose status, content
# type, headers or body the document does not describe.
#
# The server gets a fresh SQLite database seeded with `gocua admin` as a coordinator would: the
# official area list and the service catalogue of data/, a province and a commune union, a team
# in Phường Bến Tre (28789) with one member, and an enrolment code, which this script uses to
# enrol a phone over HTTP. Pushes and pulls carry that phone's device_id (a schemathesis hook),
# so generated records go through the whole ingest instead of stopping at `403 device_mismatch`.
#
# Environment: GOCUA_ST_EXAMPLES (default 60) test cases per operation and phase,
# GOCUA_ST_SECONDS (default 75) for the whole run. CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

schemathesis_version=4.32.5
examples="${GOCUA_ST_EXAMPLES:-60}"
budget="${GOCUA_ST_SECONDS:-75}"
venv="$PWD/build/schemathesis-venv"

if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$schemathesis_version"; then
  echo "== installing schemathesis $schemathesis_version (pip, in build/schemathesis-venv)"
  rm -rf "$venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    python3 -m venv "$venv"
  fi
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

echo "== building gocua"
cargo build -p gocua-server --bin gocua
gocua="${CARGO_TARGET_DIR:-$PWD/target}/debug/gocua"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== seeding a fresh database with gocua admin"
db="$work/gocua.db"
admin() { "$gocua" admin --db "$db" "$@"; }
last_line() { tail -n 1 | tr -d '[:space:]'; }
admin import-areas data/vn-admin-units-2025-07.csv >/dev/null
admin import-services data/services-starter.csv >/dev/null
province="$(admin create-unit --name "Tỉnh Đoàn Vĩnh Long" --kind province_union --area 86 | last_line)"
commune="$(admin create-unit --name "Đoàn phường Bến Tre" --kind commune_union --parent "$province" --area 28789 | last_line)"
team="$(admin create-team --name "Đội TNTN phường Bến Tre" --unit "$commune" --areas 28789 | last_line)"
member="$(admin add-member --team "$team" --name "Lê Thị Hoa" --leader | last_line)"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
code="$(admin enrol-code --team "$team" --member "$member" --server-url "$url" \
  | grep -Eo '\b[A-Z0-9]{4}-[A-Z0-9]{4}\b' | head -n 1)"
[ -n "$code" ] || { echo "gocua admin enrol-code printed no code" >&2; exit 1; }

echo "== gocua serve on $url"
"$gocua" serve --db "$db" --listen "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server_pid=$!

# Waits for the server, enrols a phone with the code, prints "DEVICE_ID TOKEN".
read -r device token < <(python3 - "$url" "$code" <<'PY'
import json, sys, time, urllib.request, uuid
url, code = sys.argv[1], sys.argv[2]
for _ in range(200):
    try:
        urllib.request.urlopen(url + "/v1/health", timeout=2).read()
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("gocua serve did not answer /v1/health")
device = str(uuid.uuid4())
body = json.dumps({"protocol_version": 1, "code": code, "device_id": device,
                   "device_label": "schemathesis", "app_version": "0.1.0"}).encode()
req = urllib.request.Request(url + "/v1/devices/enrol", data=body,
                             headers={"Content-Type": "application/json"})
answer = json.load(urllib.request.urlopen(req, timeout=10))
print(device, answer["device_token"])
PY
)
[ -n "${token:-}" ] || { echo "enrolment failed"; cat "$work/serve.log"; exit 1; }
echo "enrolled device $device"

# Pushes and pulls name the enrolled device (else every one is 403 device_mismatch).
cat >"$work/gocua_hooks.py" <<'PY'
import os
import schemathesis

DEVICE = os.environ["GOCUA_ST_DEVICE_ID"]


@schemathesis.hook
def map_body(ctx, body):
    operation = getattr(ctx, "operation", None)
    path = getattr(operation, "path", "")
    if path in ("/v1/sync/push", "/v1/sync/pull") and isinstance(body, dict) and "device_id" in body:
        body["device_id"] = DEVICE
    return body
PY

echo "== schemathesis $schemathesis_version: up to $examples cases per operation, $budget s at most"
status=0
# --rate-limit: stay under the per-device limit (20 per second) so that cases reach the ingest
# rather than a 429 (a 429 would still have to match the document).
# Run from the temporary directory: schemathesis keeps a cache (.schemathesis/) where it runs.
spec="$PWD/docs/openapi.yaml"
(cd "$work" && PYTHONPATH="$work" SCHEMATHESIS_HOOKS=gocua_hooks GOCUA_ST_DEVICE_ID="$device" \
  timeout $((budget + 120)) "$venv/bin/st" run "$spec" \
    --url "$url" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --max-examples "$examples" \
    --max-time "$budget" \
    --rate-limit 15/s \
    --workers 1 \
    --seed 14 \
    --suppress-health-check too_slow,data_too_large,filter_too_much \
    --generation-database none \
    --no-color) \
  || status=$?

if grep -qiE 'panicked|database error' "$work/serve.log"; then
  echo "== the server logged errors:"
  grep -iE -A3 'panicked|database error' "$work/serve.log" | head -n 60
  status=1
fi
exit "$status"
