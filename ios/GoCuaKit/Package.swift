// swift-tools-version:5.9
// GoCuaKit: the Rust core of Gõ Cửa for the iOS app — GoCuaFFI.xcframework (the static library with
// the C header and module map, built by ../build-xcframework.sh on a Mac), the three Swift files
// uniffi generates from it (Sources/GoCuaKit/Generated/, copied there by the same script) and the
// platform glue around them (Keychain key, data directory, background calls). Both the xcframework
// and Generated/ are build output, never committed: run ../build-xcframework.sh first.
//
// The package lives in its own folder, beside GoCua.xcodeproj rather than above it: Xcode does not
// load a local package from a folder that contains the project itself.
import PackageDescription

let package = Package(
    name: "GoCuaKit",
    platforms: [.iOS(.v16)],
    products: [
        .library(name: "GoCuaKit", targets: ["GoCuaKit"]),
    ],
    targets: [
        // The Rust core for devices (arm64) and the simulator (arm64 + x86_64), as the C module
        // `GoCuaFFI` that the generated Swift imports.
        .binaryTarget(name: "GoCuaFFI", path: "GoCuaFFI.xcframework"),
        .target(
            name: "GoCuaKit",
            dependencies: ["GoCuaFFI"],
            path: "Sources/GoCuaKit",
            linkerSettings: [
                // What the Rust standard library, rustls and chrono's time-zone lookup link on
                // Apple platforms; see ../README.md to list them again after dependency changes.
                .linkedFramework("Security"),
                .linkedFramework("SystemConfiguration"),
                .linkedFramework("CoreFoundation"),
            ]
        ),
    ]
)
