#!/usr/bin/env bash
# A real `gocua serve` for the iOS tests (GoCuaTests, GoCuaUITests), seeded the way a coordinator
# does it, with `gocua admin`: the area list, hamlets, services, a unit, a team in two communes,
# a campaign with targets, and one member with a one-time enrolment code per test that enrols.
# Same data as the JVM tests (tests/kotlin/.../GoCuaServer.kt). Runs on macOS and Linux.
#
#   ios/scripts/test-server.sh start DIR   builds `gocua` (cargo, debug), seeds DIR/server.db, starts
#                                          the server on a free loopback port, and writes DIR/env:
#                                            GOCUA_SERVER_URL=http://127.0.0.1:PORT
#                                            GOCUA_CODE_ENROL, GOCUA_CODE_FIELDWORK, GOCUA_CODE_SYNC,
#                                            GOCUA_CODE_UI   (one code each, one enrolment each)
#   ios/scripts/test-server.sh stop DIR    stops the server started in DIR
#
# The iOS simulator shares the Mac's loopback, so the tests reach http://127.0.0.1:PORT. xcodebuild
# hands variables named TEST_RUNNER_<NAME> to the test processes as <NAME>; .github/workflows/ios.yml
# does that with DIR/env. GOCUA_BIN overrides the binary (default: target/debug/gocua, built here).
# GOCUA_TEST_HOST (default 127.0.0.1) is the address to listen on and to put in the codes. A real
# phone refuses plain http:// to anything but loopback, so a trial on a phone needs HTTPS in front
# of this server (ios/README.md, step 8).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

cmd="${1:-}"; dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,18p' "$0"; exit 2; }
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

if [ "$cmd" = stop ]; then
  if [ -f "$dir/server.pid" ]; then
    kill "$(cat "$dir/server.pid")" 2>/dev/null || true
    rm -f "$dir/server.pid"
  fi
  exit 0
fi
[ "$cmd" = start ] || { echo "ios/scripts/test-server.sh: start or stop, not $cmd" >&2; exit 2; }

bin="${GOCUA_BIN:-}"
if [ -z "$bin" ]; then
  cargo build -q -p gocua-server --bin gocua
  bin="${CARGO_TARGET_DIR:-$root/target}/debug/gocua"
fi
db="$dir/server.db"
rm -f "$db" "$db-wal" "$db-shm"

admin() { "$bin" admin --db "$db" "$@"; }
# The last line of the output that is a UUID: what `gocua admin create-…` prints as the new id.
new_id() { grep -Eo '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}' | tail -n 1; }

cat > "$dir/areas.csv" <<'CSV'
code,name,level,division_type,parent_code
86,Vĩnh Long,province,tỉnh,
28789,Phường Bến Tre,commune,phường,86
28756,Phường Phú Khương,commune,phường,86
29602,Xã Long Hồ,commune,xã,86
CSV
cat > "$dir/hamlets.csv" <<'CSV'
code,name,division_type,commune_code
28789-KP1,Khu phố 1,khu phố,28789
28789-KP2,Khu phố 2,khu phố,28789
28756-KP3,Khu phố 3,khu phố,28756
CSV
cat > "$dir/services.csv" <<'CSV'
key,code,name_vi,name_en,authority,code_confidence,active
birth_registration,1.001193,Thủ tục đăng ký khai sinh,Birth registration,UBND cấp xã,two public sources,true
permanent_residence,1.004222,Đăng ký thường trú,Permanent residence registration,Công an cấp xã,scraped from national portal,true
vneid_level2_activation,,Kích hoạt tài khoản định danh điện tử VNeID mức độ 2,Activate VNeID level-2 electronic identity account,Công an,not a coded procedure,true
CSV

admin import-areas "$dir/areas.csv" >/dev/null
admin import-hamlets "$dir/hamlets.csv" >/dev/null
admin import-services "$dir/services.csv" >/dev/null
unit="$(admin create-unit --name "Tỉnh Đoàn Vĩnh Long" --kind province_union --area 86 | new_id)"
team="$(admin create-team --name "Đội TNTN Phường Bến Tre" --unit "$unit" --areas 28789,28756 | new_id)"
year="$(date +%Y)"
campaign="$(admin create-campaign --name "Đi từng ngõ, gõ từng nhà" --reference "2094-CV/TĐTN-TCKT" \
  --from "$((year - 1))-01-01" --to "$((year + 1))-12-31" --deadline "$((year + 1))-12-31" | new_id)"
admin set-target --campaign "$campaign" --team "$team" --indicator households_visited --value 40 >/dev/null
admin set-target --campaign "$campaign" --team "$team" --indicator sessions --value 8 >/dev/null
admin set-target --campaign "$campaign" --team "$team" --indicator services_supported --value 60 >/dev/null

# A free port: bind to port 0 and read back what the system chose (python3 is on macOS and Debian).
host="${GOCUA_TEST_HOST:-127.0.0.1}"
port="$(python3 -c 'import socket, sys; s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1]); s.close()' "$host")"
url="http://$host:$port"

codes=""
for name in ENROL FIELDWORK SYNC UI; do
  member="$(admin add-member --team "$team" --name "Tình nguyện viên $name" | new_id)"
  code="$(admin enrol-code --team "$team" --member "$member" --server-url "$url" | grep -Eo '^[[:space:]]*[A-Z0-9]{4}-[A-Z0-9]{4}[[:space:]]*$' | tr -d '[:space:]' | head -n 1)"
  [ -n "$code" ] || { echo "ios/scripts/test-server.sh: no enrolment code for $name" >&2; exit 1; }
  codes="${codes}GOCUA_CODE_$name=$code"$'\n'
done

"$bin" serve --db "$db" --listen "$host:$port" >"$dir/server.log" 2>&1 &
echo $! > "$dir/server.pid"
for _ in $(seq 1 300); do
  if curl -fsS "$url/v1/health" >/dev/null 2>&1; then
    { echo "GOCUA_SERVER_URL=$url"; printf '%s' "$codes"; } > "$dir/env"
    echo "gocua serve on $url (pid $(cat "$dir/server.pid")); variables in $dir/env"
    exit 0
  fi
  kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || break
  sleep 0.1
done
echo "ios/scripts/test-server.sh: gocua serve did not answer on $url:" >&2
cat "$dir/server.log" >&2
exit 1
