#!/usr/bin/env bash
# Tests the generated bindings of gocua-ffi on this machine:
#   1. scripts/bindings.sh: host library + Kotlin, Swift and Python bindings in build/bindings/;
#   2. the `gocua` server binary, which the tests start (`gocua serve`) and seed (`gocua admin`);
#   3. Kotlin on the JVM: `mvn -q -B test` in tests/kotlin (Kotlin 2.x, JNA, JUnit 5);
#   4. Python: `python3 -m pytest -q tests/python`.
# Swift is generated but not compiled here (no Apple toolchain): see ios/README.md.
# Installs what is missing (Maven, a JDK, pip, pytest) with apt/pip. CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}
command -v java >/dev/null || apt_install default-jdk-headless
command -v mvn >/dev/null || apt_install maven
if ! python3 -m pytest --version >/dev/null 2>&1; then
  python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
  python3 -m pip install -q pytest || apt_install python3-pytest
fi

bash scripts/bindings.sh

echo "== gocua server binary (started by the binding tests)"
cargo build -p gocua-server --bin gocua
export GOCUA_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/gocua"

status=0
echo "== Kotlin bindings on the JVM (tests/kotlin)"
(cd tests/kotlin && mvn -q -B test) || status=1

echo "== Python bindings (tests/python)"
python3 -m pytest -q tests/python || status=1

exit "$status"
