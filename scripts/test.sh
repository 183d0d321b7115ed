#!/usr/bin/env bash
# Runs every test of Gõ Cửa. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== PostgreSQL for the end-to-end tests"
# The e2e tests (tests/e2e) run every scenario against a real `gocua serve` on both backends and
# fail, rather than skip, without GOCUA_TEST_PG_URL. Reuse a server given from outside, or start
# a throwaway cluster that is stopped and deleted when this script exits.
if [ -z "${GOCUA_TEST_PG_URL:-}" ]; then
  pg_env="$(bash scripts/start-postgres.sh)"
  eval "$pg_env"
  trap 'bash scripts/start-postgres.sh stop "$GOCUA_TEST_PG_DIR"' EXIT
fi
export GOCUA_TEST_PG_URL

echo "== Rust tests (unit, property, crash, migration, storage-full, end-to-end on SQLite and PostgreSQL)"
cargo test --workspace

echo "== Bindings: generated Kotlin on the JVM (Maven, JNA) and Python (pytest); Swift generated"
bash scripts/test-bindings.sh

echo "== Dashboard in a real browser (Playwright driving headless Chromium against gocua demo)"
bash scripts/test-browser.sh
