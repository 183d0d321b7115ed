#!/usr/bin/env bash
# Runs every test of Gõ Cửa. This is the README's test command and what CI runs (.ci/run).
#
# Installs what is missing first (a failure there stops everything). Then every suite runs, even
# when an earlier one failed, and the script ends with one line per suite and a count:
#
#   PASS format (3 s)
#   FAIL browser (212 s)
#   ...
#   8 passed, 1 failed
#
# and exits non-zero when any suite failed. The suites:
#   format, clippy          cargo fmt --check; clippy on every target with warnings denied; the
#                           server compiled and linted without its `demo` feature (no device
#                           library; built, linked and run by the last suite)
#   rust tests              cargo test --workspace --no-fail-fast (unit, property, crash, migration,
#                           storage-full, end-to-end on SQLite and PostgreSQL)
#   bindings                scripts/test-bindings.sh: Kotlin (bindings, fieldkit, Compose screens)
#                           on the JVM and Python over the generated bindings
#   swift                   scripts/test-swift.sh: every Swift file (iOS app, package, tests,
#                           generated bindings) parsed with tree-sitter, and no rule in the Swift
#   browser                 scripts/test-browser.sh: the dashboard in headless Chromium
#   fuzz                    scripts/test-fuzz.sh: cargo-fuzz targets (push body decoding and
#                           validation, household merge, CSV importers), each for a bounded time
#                           from the committed seeds; any crash fails
#   schemathesis            scripts/test-schemathesis.sh: requests generated from
#                           docs/openapi.yaml against a live `gocua serve` with an enrolled
#                           phone's token; any 5xx or undocumented answer fails
#   far-zone rust (ZONE)    the protocol's, the phone core's, the server's and the end-to-end
#                           tests again (but those not about time: attacks, faults, storage, the
#                           wire, TLS and configuration, accounts, imports), and
#   far-zone bindings (ZONE) tests/kotlin (but its memory test) and tests/python again
#                           (scripts/test-bindings.sh --reuse), each under TZ=Etc/GMT+12 and
#                           TZ=Pacific/Kiritimati: UTC-12 and UTC+14, so between them the
#                           machine's date differs from Vietnam's (UTC+7) at every hour of the
#                           day. Nothing may depend on the machine's zone.
#   server without demo    scripts/test-server-alone.sh: the production build (--no-default-
#                           features: no `gocua demo`, no device library) built and linked, then
#                           run: no demo command, an admin command, serve, health, clean stop.
#                           Last, since it replaces target/debug/gocua with that build.
#
# Environment: GOCUA_TEST_PG_URL to use a running PostgreSQL instead of a throwaway one;
# GOCUA_SUITES to run only some suites while working on one, a list of: format clippy rust
# bindings swift browser fuzz schemathesis far-zone server-alone (e.g. GOCUA_SUITES="rust
# far-zone"; far-zone needs an earlier bindings run).
set -uo pipefail
cd "$(dirname "$0")/.."

if ! bash scripts/install-deps.sh; then
  echo "scripts/install-deps.sh failed: nothing was tested" >&2
  exit 1
fi

echo "== PostgreSQL for the end-to-end tests"
# The e2e tests (tests/e2e) run every scenario against a real `gocua serve` on both backends and
# fail, rather than skip, without GOCUA_TEST_PG_URL. Reuse a server given from outside, or start
# a throwaway cluster that is stopped and deleted when this script exits. If it cannot start, the
# suites that need it fail and say why; the others still run.
if [ -z "${GOCUA_TEST_PG_URL:-}" ]; then
  if pg_env="$(bash scripts/start-postgres.sh)"; then
    eval "$pg_env"
    trap 'bash scripts/start-postgres.sh stop "$GOCUA_TEST_PG_DIR"' EXIT
    export GOCUA_TEST_PG_URL
  else
    echo "PostgreSQL did not start: the end-to-end tests on PostgreSQL will fail" >&2
  fi
else
  export GOCUA_TEST_PG_URL
fi

# A whole run builds once: incremental caches would only add gigabytes to the disk (CI's is shared).
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

summary=()
passed=0
failed=0

wanted() {
  [ -z "${GOCUA_SUITES:-}" ] && return 0
  case " $GOCUA_SUITES " in *" $1 "*) return 0 ;; esac
  return 1
}

# record NAME RC SECONDS: one line of the summary.
record() {
  local line
  if [ "$2" -eq 0 ]; then
    line="PASS $1 ($3 s)"
    passed=$((passed + 1))
  else
    line="FAIL $1 ($3 s)"
    failed=$((failed + 1))
  fi
  echo "$line"
  summary+=("$line")
}

# suite NAME COMMAND...: runs the command in a subshell with `set -e`, so any failing step fails
# the suite, and records the result; the script itself carries on.
suite() {
  local name=$1 start=$SECONDS rc
  shift
  echo
  echo "== $name"
  (set -euo pipefail; "$@")
  rc=$?
  record "$name" "$rc" "$((SECONDS - start))"
}

# suite_start NAME COMMAND...: like `suite`, but in the background, its output kept aside until
# suite_finish waits for it, prints it and records the result (one such suite at a time).
suite_start() {
  bg_name=$1
  shift
  bg_log=$(mktemp)
  bg_start=$SECONDS
  (set -euo pipefail; "$@") > "$bg_log" 2>&1 &
  bg_pid=$!
}

suite_finish() {
  local rc=0
  wait "$bg_pid" || rc=$?
  echo
  echo "== $bg_name (ran alongside the suite above)"
  cat "$bg_log"
  rm -f "$bg_log"
  record "$bg_name" "$rc" "$((SECONDS - bg_start))"
}

# Everything, then the server without the demo (so without gocua-core, gocua-sim and their
# blocking HTTP client): its code and tests are type-checked and must lint clean. The last suite
# (server-alone) builds, links and runs that server.
clippy_all() {
  cargo clippy --workspace --all-targets -- -D warnings
  cargo clippy -p gocua-server --no-default-features --all-targets -- -D warnings
}

# --no-fail-fast: a failing test binary does not hide the results of the others.
rust_tests() {
  cargo test --workspace --no-fail-fast
}

# The time-sensitive Rust tests again: the shared rules (calendar, validation), the phone core and
# its FFI facade, the server, the simulated phones (their visit times), end to end — every test
# target but those whose subject is not time, which the main pass runs once: hostile requests,
# faults and failover; storage (encryption, crashes, full disks, migrations, backups); the wire and
# the module layout; TLS, proxies, configuration and metrics; accounts and password hashing; the
# area, hamlet and catalogue imports. The package selection is the same as ever, so Cargo keeps
# the features of `cargo test --workspace` and reuses that build.
far_zone_not_about_time="
  attacks attacks_edge attacks_erasure attacks_ingest bad_input faults failover concurrent_pushes
  crash encryption first_open storage_full migrations schema_upgrade backup
  wire_compat openapi_contract layers db_layer_alone field_labels text_limits http_client
  tls behind_proxy config metrics
  admin_accounts admin_units admin_hamlets admin_services first_run import_real_files
"
far_zone_rust() {
  local targets=() file name
  for file in protocol/tests/*.rs core/tests/*.rs server/tests/*.rs tests/e2e/tests/*.rs; do
    name=$(basename "$file" .rs)
    case " $(echo $far_zone_not_about_time) " in *" $name "*) continue ;; esac
    targets+=(--test "$name")
  done
  TZ="$1" cargo test --no-fail-fast -p gocua-protocol -p gocua-core -p gocua-ffi -p gocua-server \
    -p gocua-sim -p gocua-e2e --lib --bins "${targets[@]}"
}

far_zone_bindings() {
  TZ="$1" bash scripts/test-bindings.sh --reuse
}

if wanted format; then suite format cargo fmt --all -- --check; fi
if wanted clippy; then suite clippy clippy_all; fi
if wanted rust; then suite "rust tests" rust_tests; fi
if wanted bindings; then suite bindings bash scripts/test-bindings.sh; fi
if wanted swift; then suite swift bash scripts/test-swift.sh; fi
if wanted browser; then suite browser bash scripts/test-browser.sh; fi
if wanted fuzz; then suite fuzz bash scripts/test-fuzz.sh; fi
if wanted schemathesis; then suite schemathesis bash scripts/test-schemathesis.sh; fi
# The two zones' Rust passes run at the same time: they mostly wait (servers, PostgreSQL, disk
# syncs), every test makes its own databases (random names) and ports, and the build is shared.
# The bindings passes follow, one zone after the other (Maven's reports directory is shared).
if wanted far-zone; then
  suite_start "far-zone rust (Pacific/Kiritimati)" far_zone_rust Pacific/Kiritimati
  suite "far-zone rust (Etc/GMT+12)" far_zone_rust Etc/GMT+12
  suite_finish
  for zone in Etc/GMT+12 Pacific/Kiritimati; do
    suite "far-zone bindings ($zone)" far_zone_bindings "$zone"
  done
fi

if wanted server-alone; then suite "server without demo" bash scripts/test-server-alone.sh; fi

echo
echo "== summary"
for line in ${summary[@]+"${summary[@]}"}; do
  echo "$line"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
