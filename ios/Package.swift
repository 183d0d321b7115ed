// swift-tools-version:5.9
// Gõ Cửa for iOS: the Rust core (GoCuaFFI.xcframework, built by build-xcframework.sh on a Mac) and
// the Swift bindings generated from it. The SwiftUI app depends on the GoCuaKit library product.
//
// Before opening this package in Xcode, run `ios/build-xcframework.sh` on a Mac: it produces
// GoCuaFFI.xcframework here and Sources/GoCuaKit/Generated/gocua_ffi.swift (both build output,
// not committed; see README.md).
import PackageDescription

let package = Package(
    name: "GoCua",
    platforms: [.iOS(.v15)],
    products: [
        .library(name: "GoCuaKit", targets: ["GoCuaKit"]),
    ],
    targets: [
        // The static Rust library for device and simulator, with the C header and module map of
        // the `GoCuaFFI` module that the generated Swift imports.
        .binaryTarget(name: "GoCuaFFI", path: "GoCuaFFI.xcframework"),
        // Generated bindings (Generated/gocua_ffi.swift) plus a thin Swift wrapper (GoCuaKit.swift).
        .target(
            name: "GoCuaKit",
            dependencies: ["GoCuaFFI"],
            path: "Sources/GoCuaKit"
        ),
    ]
)
