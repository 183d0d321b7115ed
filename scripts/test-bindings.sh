#!/usr/bin/env bash
# Tests the generated bindings of gocua-ffi on this machine:
#   1. scripts/bindings.sh: host library + Kotlin, Swift and Python bindings in build/bindings/;
#   2. the `gocua` server binary (from the same build), which the tests start and seed;
#   3. Kotlin on the JVM, one Maven reactor (`mvn -q -B test -f tests/pom.xml`):
#      tests/kotlin  - the bindings and android/fieldkit's state holders (Kotlin 2.x, JNA, JUnit 5),
#      tests/compose - android/ui's Compose screens compiled for the desktop JVM and rendered
#                      offscreen to tests/compose/target/screens/ (PNG);
#   4. Python: `python3 -m pytest -q tests/python`.
# Swift is generated but not compiled here (no Apple toolchain): see ios/README.md.
# Installs what is missing (Maven, a JDK, pip, pytest) with apt/pip. CARGO_TARGET_DIR is honoured.
#
# Usage: scripts/test-bindings.sh [--reuse]
#   --reuse  run again on what an earlier full run built: no installing, no regenerating, no
#            recompiling, no Compose screens — only tests/kotlin (the bindings and fieldkit's state
#            holders, but the memory test) and tests/python, against the existing build/bindings/,
#            compiled test classes and gocua binary. scripts/test.sh
#            uses it for the far-zone passes (TZ=Etc/GMT+12, TZ=Pacific/Kiritimati).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

reuse=
for arg in "$@"; do
  case "$arg" in
    --reuse) reuse=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "scripts/test-bindings.sh: unknown argument $arg (only --reuse)" >&2; exit 2 ;;
  esac
done

if [ -n "$reuse" ]; then
  export GOCUA_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/gocua"
  for built in "$GOCUA_BIN" build/bindings/native build/bindings/kotlin build/bindings/python; do
    [ -e "$built" ] || { echo "scripts/test-bindings.sh --reuse: $built is missing; run scripts/test-bindings.sh once first" >&2; exit 1; }
  done
  status=0
  echo "== Kotlin on the JVM: bindings and fieldkit (tests/kotlin), TZ=${TZ:-unset}"
  start=$SECONDS
  # The classes the full run compiled, run again (surefire alone: no recompiling, about a minute
  # less), all but MemoryTest (a thousand store open/close cycles, nothing about time).
  mvn -q -B -f tests/pom.xml -pl kotlin surefire:test -Dtest='!MemoryTest' || status=1
  echo "tests/kotlin: $((SECONDS - start)) s"
  echo "== Python bindings (tests/python), TZ=${TZ:-unset}"
  python3 -m pytest -q tests/python || status=1
  exit "$status"
fi

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
command -v java >/dev/null || apt_install default-jdk-headless
command -v mvn >/dev/null || apt_install maven
# Skia (skiko) renders the Compose screens offscreen; its native library links libGL, libX11 and
# fontconfig even when no display is used, and text needs a font with Vietnamese glyphs.
missing=()
for pkg in libgl1 libx11-6 libfontconfig1 fonts-dejavu-core; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
if ! python3 -m pytest --version >/dev/null 2>&1; then
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  python3 -m pip install -q pytest || apt_install python3-pytest
fi

bash scripts/bindings.sh

# The server binary the binding tests start: built by the same `cargo test --workspace --no-run`
# (the server's own tests run it).
export GOCUA_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/gocua"
[ -x "$GOCUA_BIN" ] || { echo "scripts/test-bindings.sh: $GOCUA_BIN was not built" >&2; exit 1; }

status=0
echo "== Kotlin on the JVM: bindings and fieldkit (tests/kotlin), Compose screens (tests/compose)"
start=$SECONDS
mvn -q -B test -f tests/pom.xml || status=1
echo "Maven reactor: $((SECONDS - start)) s; screens in tests/compose/target/screens/"

echo "== Python bindings (tests/python)"
python3 -m pytest -q tests/python || status=1

exit "$status"
