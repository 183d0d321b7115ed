#!/usr/bin/env bash
# Runs every test of Gõ Cửa. This is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

echo "== format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

echo "== Rust tests (unit, property, crash, migration, storage-full)"
cargo test --workspace
