// Where the profile lives on the phone and how it is opened: a directory under Application Support,
// excluded from iCloud and computer backups (the store is encrypted with a key that never leaves
// this phone, so a backup copy could never be opened anyway), and the key from ProfileKeychain.
//
// The lost-key path (docs/phone-api.md, "Lost key"): when the key does not open the store —
// `FieldProfile.open` throws `WrongKey`, typically after a phone was restored without its
// Keychain — `open()` reports `.unreadable` and does nothing else. Only after the volunteer agreed
// does the app call `discardAndStartOver()`: the core deletes the unreadable store
// (`discardUnreadableStore(dataDir:)`), a new key is kept, and an empty profile opens, to enrol
// again. Records that were never sent are lost with the old store: nobody can decrypt them.

import Foundation

public struct ProfileStore: Sendable {
    /// What `open()` found.
    public enum Opened {
        /// The store opened (created on first use, migrated if older).
        case ready(FieldProfile)
        /// The key does not open the store: the core's `WrongKey` error, to show its message.
        case unreadable(FieldKitError)
    }

    public let directory: URL
    public let keychain: ProfileKeychain

    public init(directory: URL, keychain: ProfileKeychain = ProfileKeychain()) {
        self.directory = directory
        self.keychain = keychain
    }

    /// The app's profile: Application Support/GoCua/profile, key account "default".
    public static func standard() throws -> ProfileStore {
        let support = try FileManager.default.url(
            for: .applicationSupportDirectory, in: .userDomainMask, appropriateFor: nil, create: true
        )
        let directory = support.appendingPathComponent("GoCua", isDirectory: true)
            .appendingPathComponent("profile", isDirectory: true)
        return ProfileStore(directory: directory)
    }

    /// Creates the directory if needed and excludes it (and so the store in it) from backups.
    public func prepareDirectory() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var url = directory
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        try url.setResourceValues(values)
    }

    /// Whether the directory is excluded from backups (for tests and diagnostics).
    public func isExcludedFromBackup() throws -> Bool {
        let values = try directory.resourceValues(forKeys: [.isExcludedFromBackupKey])
        return values.isExcludedFromBackup ?? false
    }

    /// Opens the profile with the Keychain's key (a new key on first use). Blocks: call it off the
    /// main thread. Errors other than WrongKey (full storage, a newer schema, the Keychain not
    /// readable yet) are thrown as they are.
    public func open() throws -> Opened {
        try prepareDirectory()
        let key = try keychain.loadOrCreate().key
        do {
            return .ready(try FieldProfile.open(dataDir: directory.path, key: key))
        } catch let error as FieldKitError {
            if case .WrongKey = error {
                return .unreadable(error)
            }
            throw error
        }
    }

    /// After `.unreadable` and the volunteer's consent only: deletes the unreadable store, keeps a
    /// new key and opens the new, empty profile (not enrolled). Blocks.
    public func discardAndStartOver() throws -> FieldProfile {
        try discardUnreadableStore(dataDir: directory.path)
        let key = generateKey()
        try keychain.store(key)
        try prepareDirectory()
        return try FieldProfile.open(dataDir: directory.path, key: key)
    }
}
