//! The bindings the apps use come out of this crate's own library and `uniffi-bindgen`: Kotlin
//! (Android), Swift (iOS) and Python (tests) generate from the built library with the
//! repository's configuration. `scripts/bindings.sh` does the same for the apps; building this
//! test is also what leaves the library and the generator in the target directory for it (with
//! the features of `cargo test --workspace`, so that script reuses the test build).

use std::path::{Path, PathBuf};
use std::process::Command;

fn generator() -> &'static str {
    env!("CARGO_BIN_EXE_uniffi-bindgen")
}

/// The cdylib cargo built beside the generator.
fn library() -> PathBuf {
    // A test build leaves the library in deps/ (only `cargo build` copies it up a level).
    let dir = Path::new(generator())
        .parent()
        .expect("target directory")
        .join("deps");
    let name = if cfg!(target_os = "macos") {
        "libgocua_ffi.dylib"
    } else {
        "libgocua_ffi.so"
    };
    let lib = dir.join(name);
    assert!(lib.is_file(), "{} was not built", lib.display());
    lib
}

fn generate(language: &str, config: Option<&str>) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut cmd = Command::new(generator());
    cmd.arg("generate").arg("--library").arg(library()).args([
        "--no-format",
        "--language",
        language,
    ]);
    if let Some(config) = config {
        cmd.arg("--config").arg(root.join(config));
    }
    let status = cmd.arg("--out-dir").arg(out.path()).status().unwrap();
    assert!(status.success(), "uniffi-bindgen {language} failed");
    out
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn kotlin_swift_and_python_generate_from_the_library() {
    let kotlin = generate("kotlin", None);
    let kt = read(kotlin.path(), "uniffi/gocua_ffi/gocua_ffi.kt");
    assert!(
        kt.contains("class FieldKit"),
        "FieldKit missing from Kotlin"
    );
    assert!(
        read(kotlin.path(), "uniffi/gocua_protocol/gocua_protocol.kt")
            .contains("package uniffi.gocua_protocol")
    );

    let android = generate("kotlin", Some("android/fieldkit/uniffi-android.toml"));
    let kt = read(android.path(), "uniffi/gocua_ffi/gocua_ffi.kt");
    // uniffi's Android flavour (0.32 format): cleaned up by android.system.SystemCleaner.
    assert!(
        kt.contains("android.system.SystemCleaner"),
        "uniffi-android.toml was not applied"
    );

    let swift = generate("swift", Some("ios/uniffi.toml"));
    assert!(read(swift.path(), "gocua_ffi.swift").contains("FieldKit"));

    let python = generate("python", Some("bindings/uniffi-python.toml"));
    assert!(read(python.path(), "gocua_ffi.py").contains("class FieldKit"));
}
