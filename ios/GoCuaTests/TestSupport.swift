// What the unit tests share: a throwaway profile (its own directory and its own Keychain account, so
// the app's real profile is never touched) and the test server from ios/scripts/test-server.sh.
//
// The server's address and the enrolment codes reach the tests as environment variables:
// xcodebuild hands TEST_RUNNER_GOCUA_SERVER_URL to the test process as GOCUA_SERVER_URL (see
// .github/workflows/ios.yml). Without them, the tests that enrol are skipped, not failed.

import Foundation
import GoCuaKit
import XCTest

/// A profile store in a fresh temporary directory with a Keychain account of its own.
struct TestStore {
    let store: ProfileStore

    static func make() -> TestStore {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("gocua-test-\(UUID().uuidString)", isDirectory: true)
        let keychain = ProfileKeychain(service: "vn.gocua.profile-key.tests", account: UUID().uuidString)
        return TestStore(store: ProfileStore(directory: directory, keychain: keychain))
    }

    /// Opens the profile; fails the test when the store is unreadable.
    func open(file: StaticString = #filePath, line: UInt = #line) throws -> FieldProfile {
        switch try store.open() {
        case let .ready(profile):
            return profile
        case let .unreadable(error):
            XCTFail("a new store did not open: \(error)", file: file, line: line)
            throw error
        }
    }

    /// Opens the profile and enrols it on `server` with the enrolment code made for `name`
    /// (FIELDWORK, SYNC); skips the test when there is no such code.
    func openEnrolled(on server: TestServer, code name: String) async throws -> FieldProfile {
        let code = try server.code(name)
        let profile = try open()
        _ = try await profile.enrol(serverUrl: server.url, code: code, deviceLabel: "XCTest", appVersion: "0.1.0-test")
        return profile
    }

    /// The installation id of the store as it opens now (opened, read, closed again).
    func deviceId(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let profile = try open(file: file, line: line)
        defer { profile.closeProfile() }
        return try profile.deviceId()
    }

    func remove() {
        try? FileManager.default.removeItem(at: store.directory)
        try? store.keychain.delete()
    }
}

/// The `gocua serve` of ios/scripts/test-server.sh, when the test run was given one.
struct TestServer {
    let url: String
    private let environment: [String: String]

    /// Skips the calling test when no server was given.
    static func require() throws -> TestServer {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["GOCUA_SERVER_URL"], !url.isEmpty else {
            throw XCTSkip("no test server: run ios/scripts/test-server.sh and pass TEST_RUNNER_GOCUA_SERVER_URL (ios/README.md)")
        }
        return TestServer(url: url, environment: environment)
    }

    /// The one-time enrolment code made for `name` (ENROL, FIELDWORK, SYNC, UI).
    func code(_ name: String) throws -> String {
        guard let code = environment["GOCUA_CODE_\(name)"], !code.isEmpty else {
            throw XCTSkip("no enrolment code GOCUA_CODE_\(name) (ios/scripts/test-server.sh makes it)")
        }
        return code
    }

    /// The QR code's text for `code`, as `gocua admin enrol-code` prints it.
    func link(_ code: String) -> String {
        "gocua://enrol?server=\(url)&code=\(code)"
    }
}

/// Records the progress callbacks of a sync (they arrive on the sync's own thread).
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [(UInt32, UInt32)] = []

    func add(_ sent: UInt32, _ total: UInt32) {
        lock.lock()
        events.append((sent, total))
        lock.unlock()
    }

    var all: [(UInt32, UInt32)] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}
