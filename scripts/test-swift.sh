#!/usr/bin/env bash
# Checks the iOS app's Swift where no Apple toolchain exists (Linux, CI): ios/tools/check_swift.py
#   1. parses every Swift file — the app (ios/GoCua), the package (ios/GoCuaKit), the tests
#      (ios/GoCuaTests, ios/GoCuaUITests) and the generated bindings (build/bindings/swift) — with
#      the tree-sitter Swift grammar, failing on any ERROR or MISSING node (file:line:column);
#   2. checks that no business rule is written in the hand-written Swift: no vocabulary codes or
#      cases, no day arithmetic or device calendar, no formatters for user-facing values, no
#      counting, no Vietnamese text outside the String Catalog, no validation wording, Dynamic Type
#      fonts and labelled images — printing the offending lines;
#   3. checks the String Catalogs, Info.plist and the privacy manifest against the code.
# Prints `N passed, N failed` (N counts files and checks) and exits non-zero on any failure.
# Nothing is compiled: types and APIs are only checked by Xcode on a Mac (ios/README.md).
#
# Installs what is missing on a fresh Debian 12 machine: python3 and pip (apt), the Python
# tree-sitter runtime and its Swift grammar (pip wheels, pinned below); runs scripts/bindings.sh
# when the generated bindings are missing (needs Rust, as the rest of the repository).
#
# Usage: scripts/test-swift.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# check_swift.py prints the time since here (installing included) before its closing line.
GOCUA_CHECK_STARTED="$(date +%s.%N)"
export GOCUA_CHECK_STARTED

tree_sitter_version=0.26.1
tree_sitter_swift_version=0.7.4

apt_updated=
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -z "$apt_updated" ]; then $sudo apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

command -v python3 >/dev/null || apt_install python3
python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip

installed() {
  python3 - "$tree_sitter_version" "$tree_sitter_swift_version" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
import tree_sitter, tree_sitter_swift  # noqa: F401
sys.exit(0 if (version("tree-sitter"), version("tree-sitter-swift")) == (sys.argv[1], sys.argv[2]) else 1)
PY
}
if ! installed; then
  echo "== installing the Python tree-sitter runtime $tree_sitter_version and tree-sitter-swift $tree_sitter_swift_version (pip)"
  pkgs=("tree-sitter==$tree_sitter_version" "tree-sitter-swift==$tree_sitter_swift_version")
  export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
  # Debian 12's python3 is "externally managed" (PEP 668): plain pip refuses, so say it is meant.
  python3 -m pip install -q "${pkgs[@]}" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages "${pkgs[@]}"
  installed || { echo "scripts/test-swift.sh: tree-sitter $tree_sitter_version / tree-sitter-swift $tree_sitter_swift_version not importable after pip install" >&2; exit 1; }
fi

# The generated Swift (parsed) and Python bindings (the core's vocabulary codes, for the rules).
if [ ! -s build/bindings/swift/gocua_ffi.swift ] || [ ! -s build/bindings/python/gocua_ffi.py ]; then
  echo "== generating the bindings (scripts/bindings.sh)"
  command -v cargo >/dev/null || { echo "scripts/test-swift.sh: cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2; exit 1; }
  for pkg in libssl-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || apt_install "$pkg"
  done
  bash scripts/bindings.sh
fi

exec python3 ios/tools/check_swift.py
