#!/usr/bin/env bash
# Fuzzing (fuzz/: cargo-fuzz and libFuzzer): builds the fuzz targets and runs each for a bounded
# time; any crash — a panic, a failed assertion, a timeout, running out of memory — fails. The
# targets:
#   push_body        a push from raw bytes (plain or gzip) to typed, validated changes
#   household_merge  the household merge's laws (commutative, associative, idempotent, erasure)
#   csv_import       the CSV importers: no panic, every problem on a line of the file
#
# Installs cargo-fuzz (pinned below) with `cargo install` when missing. No nightly toolchain is
# needed: the fuzz build's unstable flags are allowed on the stable compiler with
# RUSTC_BOOTSTRAP=1, for this build only (its own target directory, fuzz/target). Debug
# assertions are on (integer overflow panics); no sanitizer (safe Rust: the panics are what is
# looked for, and the build is half as long).
#
# Each run starts from the committed seeds (fuzz/seeds/TARGET, only read) and the corpus grown
# by earlier runs on this machine (fuzz/corpus/TARGET, not committed). A crash is saved as
# fuzz/artifacts/TARGET/crash-… ; reproduce it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a -s none TARGET fuzz/artifacts/TARGET/crash-…
# then fix the bug and add the input as a test of the crate it was in.
#
# Environment: GOCUA_FUZZ_SECONDS (default 25) per target; GOCUA_FUZZ_TARGETS to run only some.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo_fuzz_version=0.13.2
seconds="${GOCUA_FUZZ_SECONDS:-25}"
targets="${GOCUA_FUZZ_TARGETS:-push_body household_merge csv_import}"

if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz $cargo_fuzz_version" ]; then
  echo "== installing cargo-fuzz $cargo_fuzz_version (cargo install)"
  cargo install cargo-fuzz --version "$cargo_fuzz_version" --locked --quiet
fi

export RUSTC_BOOTSTRAP=1
# The fuzz build has other compiler flags than the workspace's: never share a target directory.
export CARGO_TARGET_DIR="$PWD/fuzz/target"
flags=(-O --debug-assertions --sanitizer none)

echo "== building the fuzz targets"
cargo fuzz build "${flags[@]}"

failed=()
for t in $targets; do
  echo "== fuzzing $t for $seconds s"
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a memory blow-up is a crash.
  if ! cargo fuzz run "${flags[@]}" "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      > "fuzz/artifacts/$t/last-run.log" 2>&1; then
    tail -n 60 "fuzz/artifacts/$t/last-run.log"
    failed+=("$t")
  else
    grep -E '^(Done|stat::number_of_executed_units|stat::new_units_added)' "fuzz/artifacts/$t/last-run.log" || true
  fi
done

if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzzing: no crash in $targets"
