#!/usr/bin/env bash
# Builds the host library of gocua-ffi and generates its Kotlin, Swift and Python bindings with the
# repository's own uniffi-bindgen (pinned to the library's uniffi version). Everything lands in
# build/bindings/ — build output, ignored by git, never committed.
#
# The library carries three uniffi crates, each generated as its own file: gocua_ffi (the API),
# gocua_protocol (the vocabularies: VisitOutcome, Lang, …) and gocua_core (SyncTrigger,
# SyncWaitReason).
#
#   build/bindings/kotlin/    uniffi/gocua_ffi/gocua_ffi.kt, uniffi/gocua_protocol/gocua_protocol.kt,
#                             uniffi/gocua_core/gocua_core.kt        (compiled by tests/kotlin)
#   build/bindings/native/    libgocua_ffi.so                        (loaded on the JVM through JNA)
#   build/bindings/python/    gocua_ffi.py, gocua_protocol.py, gocua_core.py + libgocua_ffi.so
#                                                                    (imported by tests/python)
#   build/bindings/swift/     gocua_ffi.swift, gocua_protocol.swift, gocua_core.swift, GoCuaFFI.h,
#                             GoCuaFFI.modulemap                     (for ios/; not compiled here)
#
# Settings: bindings/uniffi.toml (found by uniffi-bindgen itself: CalendarDay is a LocalDate in
# Kotlin), bindings/uniffi-python.toml and ios/uniffi.toml.
#
# Usage: scripts/bindings.sh [--release]
# CARGO_TARGET_DIR is honoured. Only the host library is built; the iOS static libraries and the
# xcframework are built on a Mac by ios/build-xcframework.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

profile=debug
for arg in "$@"; do
  case "$arg" in
    --release) profile=release ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "scripts/bindings.sh: unknown argument $arg (only --release)" >&2; exit 2 ;;
  esac
done

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$(uname -s)" in
  Darwin) lib_name=libgocua_ffi.dylib ;;
  *) lib_name=libgocua_ffi.so ;;
esac

echo "== gocua-ffi: host library ($profile) and the repository's uniffi-bindgen"
if [ "$profile" = debug ]; then
  # The debug library is the one `cargo test --workspace` builds (for bindings/tests/generate.rs):
  # built alone, gocua-ffi would resolve its dependencies' features differently and rebuild most
  # of them (about 2.5 minutes of CI). After a test run this is a no-op.
  cargo test --workspace --no-run
  lib="$target_dir/debug/deps/$lib_name"
else
  cargo build -p gocua-ffi --lib --bin uniffi-bindgen --release
  lib="$target_dir/release/$lib_name"
fi
bindgen="$target_dir/$profile/uniffi-bindgen"
[ -f "$lib" ] || { echo "scripts/bindings.sh: $lib was not built" >&2; exit 1; }

out="$root/build/bindings"
rm -rf "$out/kotlin" "$out/python" "$out/swift" "$out/native"
mkdir -p "$out/kotlin" "$out/python" "$out/swift" "$out/native"

echo "== generating Kotlin and Python bindings"
"$bindgen" generate --library "$lib" --no-format --language kotlin --out-dir "$out/kotlin"
"$bindgen" generate --library "$lib" --no-format --language python --config bindings/uniffi-python.toml --out-dir "$out/python"

echo "== generating Swift bindings (compiled only on a Mac, see ios/README.md)"
# ios/uniffi.toml names the C module GoCuaFFI, the module of ios/GoCuaFFI.xcframework, for all
# three crates; the protocol's and the core's declarations go into its one header.
"$bindgen" generate --library "$lib" --no-format --language swift --config ios/uniffi.toml --out-dir "$out/swift"
for part in GoCuaProtocolFFI GoCuaCoreFFI; do
  { printf '\n// ---- %s.h (appended by scripts/bindings.sh) ----\n' "$part"; cat "$out/swift/$part.h"; } >> "$out/swift/GoCuaFFI.h"
  rm "$out/swift/$part.h"
done

# The host library where the tests load it: beside the Python module (the generated loader
# looks next to itself) and in native/ for JNA (-Djna.library.path, see tests/kotlin/pom.xml).
cp "$lib" "$out/python/$lib_name"
cp "$lib" "$out/native/$lib_name"

for f in kotlin/uniffi/gocua_ffi/gocua_ffi.kt kotlin/uniffi/gocua_protocol/gocua_protocol.kt \
         kotlin/uniffi/gocua_core/gocua_core.kt python/gocua_ffi.py python/gocua_protocol.py \
         python/gocua_core.py swift/gocua_ffi.swift swift/gocua_protocol.swift swift/gocua_core.swift \
         swift/GoCuaFFI.h swift/GoCuaFFI.modulemap; do
  [ -s "$out/$f" ] || { echo "scripts/bindings.sh: expected $out/$f was not generated" >&2; exit 1; }
done
echo "Bindings in $out ($(cd "$out" && find . -type f | sort | tr '\n' ' '))"
