import org.gradle.api.tasks.Exec

plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

// The Rust workspace is the parent of android/.
val repoRoot = rootDir.parentFile
val rustProfile = providers.gradleProperty("gocua.rustProfile").getOrElse("release")
val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val jniOut = layout.buildDirectory.dir("generated/jniLibs")
val bindingsOut = layout.buildDirectory.dir("generated/uniffi/kotlin")

android {
    namespace = "vn.gocua.fieldkit"
    compileSdk = 36
    defaultConfig {
        minSdk = 26
        ndk { abiFilters += abis }
        consumerProguardFiles("consumer-rules.pro")
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    sourceSets["main"].apply {
        // Generated, never committed: the Kotlin bindings and the Rust library for each ABI.
        java.srcDir(bindingsOut)
        jniLibs.srcDir(jniOut)
    }
}

kotlin { jvmToolchain(17) }

dependencies {
    api(libs.kotlinx.coroutines.android)
    // The generated bindings call the Rust library through JNA (the .aar carries libjnidispatch).
    api("net.java.dev.jna:jna:${libs.versions.jna.get()}@aar")
}

/**
 * The Rust library for the three ABIs, with cargo-ndk (`cargo install cargo-ndk`, and
 * `rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android`);
 * ANDROID_NDK_HOME (or the SDK's ndk/ directory) must point at an NDK.
 */
val cargoNdk by tasks.registering(Exec::class) {
    group = "rust"
    description = "Builds libgocua_ffi.so for ${abis.joinToString()} with cargo-ndk"
    workingDir = repoRoot
    val args = mutableListOf("cargo", "ndk", "--platform", "26")
    abis.forEach { args += listOf("-t", it) }
    // vendored-openssl: SQLCipher's crypto is OpenSSL, which a phone does not provide to apps.
    args += listOf("-o", jniOut.get().asFile.path, "build", "-p", "gocua-ffi", "--lib", "--features", "vendored-openssl")
    // release-phone (Cargo.toml): size-optimised, LTO, stripped. Needs cargo-ndk 3.5 or later.
    if (rustProfile == "release") args += listOf("--profile", "release-phone")
    commandLine(args)
    // 16 KB pages (required for apps targeting Android 15+ on 16 KB devices): the 64-bit
    // libraries' segments are aligned to 16 KB whatever the NDK's default.
    val pages = "-C link-arg=-Wl,-z,max-page-size=16384"
    environment("CARGO_TARGET_AARCH64_LINUX_ANDROID_RUSTFLAGS", pages)
    environment("CARGO_TARGET_X86_64_LINUX_ANDROID_RUSTFLAGS", pages)
    inputs.files(fileTree(repoRoot) { include("Cargo.toml", "Cargo.lock", "bindings/**", "core/**", "protocol/**"); exclude("**/target/**") })
    outputs.dir(jniOut)
}

/**
 * Kotlin bindings with the repository's own uniffi-bindgen (pinned to the library's uniffi),
 * from the arm64 library just built: the metadata is the same for every ABI.
 */
val uniffiBindings by tasks.registering(Exec::class) {
    group = "rust"
    description = "Generates the Kotlin bindings of gocua-ffi"
    dependsOn(cargoNdk)
    workingDir = repoRoot
    val lib = jniOut.get().file("arm64-v8a/libgocua_ffi.so").asFile.path
    commandLine(
        "cargo", "run", "-q", "-p", "gocua-ffi", "--bin", "uniffi-bindgen", "--",
        "generate", "--library", lib, "--language", "kotlin", "--no-format",
        "--config", file("uniffi-android.toml").path, "--out-dir", bindingsOut.get().asFile.path,
    )
    outputs.dir(bindingsOut)
}

tasks.named("preBuild") { dependsOn(uniffiBindings) }
