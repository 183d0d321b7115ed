//! The Android packaging of this library, read from the build files (no Android SDK here): one
//! test per packaging defect issue 11 found, so none comes back unseen. What only a Gradle build
//! on a machine with the SDK and NDK shows (that the APKs build, that the libraries load on a
//! phone) is listed in android/README.md.

use std::fs;
use std::path::{Path, PathBuf};

fn android() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../android")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn toml_file(path: &Path) -> toml::Table {
    read(path)
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The quoted arguments of the `cargo ndk` call in fieldkit's build script, in order.
fn cargo_ndk_args() -> Vec<String> {
    let script = read(&android().join("fieldkit/build.gradle.kts"));
    let task = script
        .split("val cargoNdk by tasks.registering")
        .nth(1)
        .expect("fieldkit/build.gradle.kts has a cargoNdk task");
    let task = task.split("\n}\n").next().unwrap();
    task.lines()
        .filter(|l| l.contains("args +=") || l.contains("mutableListOf("))
        .flat_map(|l| l.split('"').skip(1).step_by(2).map(str::to_owned))
        .collect()
}

fn has_pair(args: &[String], flag: &str, value: &str) -> bool {
    args.windows(2).any(|w| w[0] == flag && w[1] == value)
}

fn manifest_application<'a>(doc: &'a roxmltree::Document<'a>) -> roxmltree::Node<'a, 'a> {
    doc.descendants()
        .find(|n| n.has_tag_name("application"))
        .expect("the manifest has an <application>")
}

const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

#[test]
fn the_phone_library_is_built_with_its_own_openssl_for_sqlcipher() {
    let args = cargo_ndk_args();
    assert!(
        has_pair(&args, "--features", "vendored-openssl"),
        "cargo ndk must build gocua-ffi with vendored-openssl (a phone gives apps no OpenSSL): {args:?}"
    );
    // …and the feature reaches rusqlite's SQLCipher with OpenSSL compiled in.
    let ffi = toml_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"));
    assert_eq!(
        ffi["features"]["vendored-openssl"].as_array().unwrap()[0].as_str(),
        Some("gocua-core/vendored-openssl")
    );
    let core = toml_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/Cargo.toml"));
    assert_eq!(
        core["features"]["vendored-openssl"].as_array().unwrap()[0].as_str(),
        Some("rusqlite/bundled-sqlcipher-vendored-openssl")
    );
}

#[test]
fn the_phone_library_is_built_small() {
    let args = cargo_ndk_args();
    assert!(
        has_pair(&args, "--profile", "release-phone"),
        "the release build uses the size profile: {args:?}"
    );
    let workspace = toml_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml"));
    let profile = workspace["profile"]["release-phone"]
        .as_table()
        .expect("Cargo.toml has [profile.release-phone]");
    assert!(matches!(profile["opt-level"].as_str(), Some("s" | "z")));
    assert_eq!(profile["lto"].as_str(), Some("fat"));
    assert_eq!(profile["codegen-units"].as_integer(), Some(1));
    assert_eq!(profile["strip"].as_str(), Some("symbols"));
    // Not `panic = "abort"`: uniffi turns a panic into an error only when it can unwind.
    assert!(!profile.contains_key("panic"));
}

#[test]
fn sixty_four_bit_libraries_are_aligned_to_16_kb_pages() {
    let script = read(&android().join("fieldkit/build.gradle.kts"));
    assert!(script.contains(r#"val pages = "-C link-arg=-Wl,-z,max-page-size=16384""#));
    for target in ["AARCH64_LINUX_ANDROID", "X86_64_LINUX_ANDROID"] {
        assert!(
            script.contains(&format!(
                r#"environment("CARGO_TARGET_{target}_RUSTFLAGS", pages)"#
            )),
            "{target} must link with 16 KB pages (Android 15+ on 16 KB devices)"
        );
    }
}

#[test]
fn one_apk_per_abi_the_library_is_built_for() {
    let fieldkit = read(&android().join("fieldkit/build.gradle.kts"));
    let app = read(&android().join("app/build.gradle.kts"));
    let abis = r#""arm64-v8a", "armeabi-v7a", "x86_64""#;
    assert!(fieldkit.contains(&format!("val abis = listOf({abis})")));
    let splits = app
        .split("splits {")
        .nth(1)
        .expect("app/build.gradle.kts has ABI splits");
    assert!(splits.contains("isEnable = true"));
    assert!(splits.contains(&format!("include({abis})")));
    assert!(splits.contains("isUniversalApk = false"));
}

#[test]
fn the_store_and_its_key_never_leave_the_phone() {
    let res = android().join("app/src/main/res");
    let manifest = read(&android().join("app/src/main/AndroidManifest.xml"));
    let doc = roxmltree::Document::parse(&manifest).unwrap();
    let app = manifest_application(&doc);
    let attr = |name: &str| app.attribute((ANDROID_NS, name));
    assert_eq!(attr("allowBackup"), Some("false"));
    assert_eq!(attr("fullBackupContent"), Some("@xml/backup_rules"));
    assert_eq!(
        attr("dataExtractionRules"),
        Some("@xml/data_extraction_rules")
    );

    // Every place the app keeps anything (the store's directory, the wrapped key in the
    // preferences) is excluded from cloud backups and from device-to-device transfer: a store
    // copied without its Keystore key would crash-loop the app on the new phone.
    let every_domain = ["root", "file", "database", "sharedpref", "external"];
    let excluded = |section: roxmltree::Node<'_, '_>| -> Vec<String> {
        section
            .children()
            .filter(|n| n.has_tag_name("exclude") && n.attribute("path") == Some("."))
            .filter_map(|n| n.attribute("domain").map(str::to_owned))
            .collect()
    };
    let rules = read(&res.join("xml/data_extraction_rules.xml"));
    let rules = roxmltree::Document::parse(&rules).unwrap();
    for section in ["cloud-backup", "device-transfer"] {
        let node = rules
            .descendants()
            .find(|n| n.has_tag_name(section))
            .unwrap_or_else(|| panic!("data_extraction_rules.xml has no <{section}>"));
        assert!(
            node.children().all(|n| !n.has_tag_name("include")),
            "{section} includes something"
        );
        let excluded = excluded(node);
        for domain in every_domain {
            assert!(
                excluded.iter().any(|d| d == domain),
                "{section} keeps {domain}"
            );
        }
    }
    let legacy = read(&res.join("xml/backup_rules.xml"));
    let legacy = roxmltree::Document::parse(&legacy).unwrap();
    let excluded = excluded(legacy.root_element());
    for domain in every_domain {
        assert!(
            excluded.iter().any(|d| d == domain),
            "backup_rules keeps {domain}"
        );
    }
}

#[test]
fn the_launcher_icon_is_there() {
    let res = android().join("app/src/main/res");
    let manifest = read(&android().join("app/src/main/AndroidManifest.xml"));
    let doc = roxmltree::Document::parse(&manifest).unwrap();
    let app = manifest_application(&doc);
    assert_eq!(
        app.attribute((ANDROID_NS, "icon")),
        Some("@mipmap/ic_launcher")
    );
    let icon = read(&res.join("mipmap-anydpi-v26/ic_launcher.xml"));
    let icon = roxmltree::Document::parse(&icon).unwrap();
    assert!(icon.root_element().has_tag_name("adaptive-icon"));
    // Each layer names a resource that exists.
    for layer in ["background", "foreground"] {
        let node = icon
            .descendants()
            .find(|n| n.has_tag_name(layer))
            .unwrap_or_else(|| panic!("the adaptive icon has no {layer}"));
        let reference = node.attribute((ANDROID_NS, "drawable")).unwrap();
        let (kind, name) = reference
            .strip_prefix('@')
            .and_then(|r| r.split_once('/'))
            .unwrap_or_else(|| panic!("{layer}: {reference}"));
        match kind {
            "drawable" => assert!(
                res.join(format!("drawable/{name}.xml")).is_file(),
                "{reference}"
            ),
            "color" => assert!(
                read(&res.join("values/colors.xml")).contains(&format!(r#"name="{name}""#)),
                "{reference}"
            ),
            other => panic!("{layer}: unexpected resource kind {other}"),
        }
    }
}

#[test]
fn r8_reads_the_kotlin_version_s_metadata() {
    let versions = toml_file(&android().join("gradle/libs.versions.toml"));
    let v = |name: &str| -> Vec<u32> {
        versions["versions"][name]
            .as_str()
            .unwrap_or_else(|| panic!("libs.versions.toml has no {name}"))
            .split('.')
            .map(|p| p.parse().unwrap())
            .collect()
    };
    // developer.android.com/build/kotlin-support: Kotlin 2.4 metadata needs R8 9.1 or later;
    // AGP 8.13's bundled R8 (8.13) does not read it.
    let (kotlin, r8) = (v("kotlin"), v("r8"));
    let needed = match (kotlin[0], kotlin[1]) {
        (2, 4) => [9, 1],
        (2, minor) if minor <= 3 => [8, 0],
        other => panic!("Kotlin {other:?}: look up the R8 it needs and add it here"),
    };
    assert!(r8[..2] >= needed[..], "R8 {r8:?} for Kotlin {kotlin:?}");
    // The newer R8 must be on the build classpath to take precedence over AGP's.
    let root = read(&android().join("build.gradle.kts"));
    assert!(root.contains("classpath(libs.r8)"));
}
