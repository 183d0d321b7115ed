// The profile's 32-byte key, kept in the Keychain on this device only. The item is readable after
// the first unlock following a restart (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly), so a
// background sync can open the store while the phone is locked; "ThisDeviceOnly" keeps it out of
// backups and off other phones, which is why a restored phone comes back without it (the lost-key
// path of ProfileStore).

import Foundation
import Security

/// One generic-password item: service `vn.gocua.profile-key`, one account per profile.
public struct ProfileKeychain: Sendable {
    public let service: String
    public let account: String

    public init(service: String = "vn.gocua.profile-key", account: String = "default") {
        self.service = service
        self.account = account
    }

    /// The stored key, or nil when there is none. Throws when the Keychain cannot answer now (for
    /// example before the first unlock after a restart): never mistake that for "no key".
    public func storedKey() throws -> Data? {
        try storedItem(returning: kSecReturnData, as: Data.self)
    }

    /// The stored key; when there is none, a new one from the core (`generateKey()`), stored first.
    /// `created` says which, so the caller can tell a first start from a lost key.
    public func loadOrCreate() throws -> (key: Data, created: Bool) {
        if let existing = try storedKey() {
            return (existing, false)
        }
        let key = generateKey()
        try store(key)
        return (key, true)
    }

    /// Stores `key`, replacing the one kept before.
    public func store(_ key: Data) throws {
        try delete()
        var attributes = baseQuery
        attributes[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        attributes[kSecValueData as String] = key
        let status = SecItemAdd(attributes as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw KeychainError(status: status)
        }
    }

    /// Removes the key; a missing item is fine.
    public func delete() throws {
        let status = SecItemDelete(baseQuery as CFDictionary)
        guard status == errSecSuccess || status == errSecItemNotFound else {
            throw KeychainError(status: status)
        }
    }

    /// The accessibility class of the stored item (`kSecAttrAccessible…`), for tests and diagnostics.
    public func storedAccessibility() throws -> String? {
        guard let attributes = try storedItem(returning: kSecReturnAttributes, as: [String: Any].self) else {
            return nil
        }
        return attributes[kSecAttrAccessible as String] as? String
    }

    /// The stored item as `returning` asks for it (`kSecReturnData`: the key, `kSecReturnAttributes`:
    /// its attributes), or nil when there is none. Throws when the Keychain cannot answer, or
    /// answers with something else than a `T`.
    private func storedItem<T>(returning: CFString, as _: T.Type) throws -> T? {
        var query = baseQuery
        query[returning as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecItemNotFound {
            return nil
        }
        guard status == errSecSuccess, let value = item as? T else {
            throw KeychainError(status: status)
        }
        return value
    }

    private var baseQuery: [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
        ]
    }
}

/// A Keychain call that failed, with the OSStatus and the system's description of it.
public struct KeychainError: Error, CustomStringConvertible {
    public let status: OSStatus

    public var description: String {
        let text = SecCopyErrorMessageString(status, nil) as String? ?? "OSStatus"
        return "Keychain: \(text) (\(status))"
    }
}
