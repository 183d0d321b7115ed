// The platform glue around the store, against a real encrypted store: the data directory excluded
// from backups, the key in the Keychain with the right accessibility, reopening with the kept key,
// and the lost-key path (WrongKey → discardUnreadableStore → a new key → an empty profile).

import GoCuaKit
import Security
import XCTest

final class ProfileStoreTests: XCTestCase {
    func testOpenKeepsTheKeyOnThisDeviceAndTheStoreOutOfBackups() throws {
        let test = TestStore.make()
        defer { test.remove() }

        let profile = try test.open()
        XCTAssertFalse(try profile.isEnrolled())
        XCTAssertNil(try profile.profile())
        XCTAssertTrue(try test.store.isExcludedFromBackup(), "the store's directory is excluded from backups")
        XCTAssertEqual(
            try test.store.keychain.storedAccessibility(),
            kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly as String,
            "readable after the first unlock (background sync), never in a backup or on another phone"
        )
        XCTAssertEqual(try test.store.keychain.storedKey()?.count, 32)
        let deviceId = try profile.deviceId()
        profile.closeProfile()

        XCTAssertEqual(try test.deviceId(), deviceId, "the kept key opens the same store")
    }

    func testAKeyThatDoesNotOpenTheStoreIsReportedAndNothingIsDeleted() throws {
        let test = TestStore.make()
        defer { test.remove() }
        let deviceId = try test.deviceId()
        let kept = try XCTUnwrap(test.store.keychain.storedKey())

        try test.store.keychain.store(generateKey())
        guard case let .unreadable(error) = try test.store.open() else {
            return XCTFail("another key opened the store")
        }
        XCTAssertEqual(error.code, "wrong_key")
        XCTAssertFalse(error.message.vi.isEmpty)
        XCTAssertFalse(error.message.en.isEmpty)

        // open() only reports: with the right key back, the old store opens as it was.
        try test.store.keychain.store(kept)
        XCTAssertEqual(try test.deviceId(), deviceId)
    }

    func testLostKeyPathStartsAnEmptyProfileWithANewKey() throws {
        let test = TestStore.make()
        defer { test.remove() }
        let oldDevice = try test.deviceId()

        // The Keychain lost the item (a restored phone): open() makes a new key, which cannot open
        // the old store.
        try test.store.keychain.delete()
        guard case .unreadable = try test.store.open() else {
            return XCTFail("a new key opened the old store")
        }

        let fresh = try test.store.discardAndStartOver()
        XCTAssertFalse(try fresh.isEnrolled())
        XCTAssertNotEqual(try fresh.deviceId(), oldDevice, "a new store, a new installation id")
        XCTAssertTrue(try test.store.isExcludedFromBackup())
        fresh.closeProfile()

        // The new key was kept: the next start opens the new store.
        let next = try test.open()
        XCTAssertFalse(try next.isEnrolled())
        next.closeProfile()
    }
}
