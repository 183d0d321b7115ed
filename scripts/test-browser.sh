#!/usr/bin/env bash
# Browser tests of the coordinators' dashboard: Playwright (playwright-core) drives Debian's
# headless Chromium against real `gocua demo` servers. Screenshots and downloads go to
# tests/browser/output/. Installs chromium and Node.js with apt when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing ${missing[*]}"
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-dejavu-core
fi

echo "== npm ci (tests/browser)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

echo "== building gocua and the simulated phone (gocua-phone)"
# One command: gocua-sim alone would resolve its dependencies' features differently from the
# server (which links it) and rebuild most of them.
cargo build -p gocua-server --bin gocua -p gocua-sim --bin gocua-phone
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
export GOCUA_BIN="$target_dir/debug/gocua"
export GOCUA_PHONE_BIN="$target_dir/debug/gocua-phone"
export CHROMIUM=/usr/bin/chromium

echo "== dashboard in headless Chromium (screenshots in tests/browser/output/screens)"
rm -rf tests/browser/output
cd tests/browser
# One file at a time (2-core machines; works with Debian 12's Node 18 as with Node 20); each
# file starts and stops its own demo server, and every test has its own time limit.
failed=0
for f in tests/*.test.mjs; do
  echo "-- $f"
  timeout 300 node --test "$f" || failed=1
done
exit "$failed"
