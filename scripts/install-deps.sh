#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian 12 machine. Idempotent: installs
# only what is missing, so a warm machine pays nothing.
set -euo pipefail

need_apt=()
# postgresql: the end-to-end tests run every scenario on PostgreSQL too (scripts/start-postgres.sh
# starts a throwaway cluster from Debian's PostgreSQL 15 binaries). nginx-light: the tests of the
# deployment put `gocua serve` behind nginx with deploy/nginx/gocua-proxy.conf (tests/e2e/src/nginx.rs).
# systemd: `systemd-analyze verify` checks deploy/gocua.service (tests/e2e/tests/config.rs).
# libreoffice-writer-nogui, libreoffice-calc-nogui, poppler-utils, fonts-liberation2: the report
# (DOCX) and an overview (XLSX) are rendered to PDF and PNG and their layout read back
# (server/tests/export_render.rs); Liberation Serif stands in for Times New Roman with the same
# metrics and Vietnamese glyphs.
for pkg in libssl-dev pkg-config postgresql nginx-light systemd \
  libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ "${#need_apt[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is missing: install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true
