#!/usr/bin/env bash
# Fuzzing (fuzz/: cargo-fuzz and libFuzzer): builds the fuzz targets and runs each for a bounded
# time; any crash — a panic, a failed assertion, a timeout, running out of memory — fails. The
# targets:
#   push_body        a push from raw bytes (plain or gzip) to typed, validated changes
#   household_merge  the household merge's laws (commutative, associative, idempotent, erasure)
#   csv_import       the CSV importers: no panic, every problem on a line of the file
#
# Built the way `cargo fuzz build -O --debug-assertions --sanitizer none` builds them (the same
# sanitizer-coverage flags, `--cfg fuzzing`, its own target directory fuzz/target), with plain
# cargo on the stable compiler: nothing to install, and no nightly flag is needed without a
# sanitizer. Debug assertions are on (integer overflow panics); no sanitizer (safe Rust: the
# panics are what is looked for). The targets use only gocua-protocol (the server's body
# decoding lives there), so the build is short.
#
# Each run starts from the committed seeds (fuzz/seeds/TARGET, only read) and the corpus grown
# by earlier runs on this machine (fuzz/corpus/TARGET, not committed). A crash is saved as
# fuzz/artifacts/TARGET/crash-… ; reproduce it by running the target on it
#   fuzz/target/<host triple>/release/TARGET fuzz/artifacts/TARGET/crash-…
# (or `cargo fuzz run -O -a -s none TARGET <file>` where cargo-fuzz is installed), then fix the
# bug and add the input as a test of the crate it was in.
#
# Environment: GOCUA_FUZZ_SECONDS (default 25) per target; GOCUA_FUZZ_TARGETS to run only some.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${GOCUA_FUZZ_SECONDS:-25}"
targets="${GOCUA_FUZZ_TARGETS:-push_body household_merge csv_import}"
triple="$(rustc -vV | sed -n 's/^host: //p')"

# The fuzz build has other compiler flags than the workspace's: never share a target directory.
# `--target` keeps the flags off build scripts, as cargo-fuzz does.
export CARGO_TARGET_DIR="$PWD/fuzz/target"
coverage=(
  -Cpasses=sancov-module
  -Cllvm-args=-sanitizer-coverage-level=4
  -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
  -Cllvm-args=-sanitizer-coverage-pc-table
  -Cllvm-args=-sanitizer-coverage-trace-compares
  -Cllvm-args=-sanitizer-coverage-stack-depth
  -Cllvm-args=-simplifycfg-branch-fold-threshold=0
  --cfg fuzzing
  -Cdebug-assertions
)
echo "== building the fuzz targets"
RUSTFLAGS="${coverage[*]}" cargo build --manifest-path fuzz/Cargo.toml --target "$triple" \
  --release --config 'profile.release.debug="line-tables-only"' --bins
bin_dir="$CARGO_TARGET_DIR/$triple/release"

failed=()
for t in $targets; do
  echo "== fuzzing $t for $seconds s"
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: a memory blow-up is a crash.
  if ! "$bin_dir/$t" -artifact_prefix="fuzz/artifacts/$t/" "fuzz/corpus/$t" "fuzz/seeds/$t" \
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
