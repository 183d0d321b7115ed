// Thin Swift conveniences over the generated bindings (Generated/gocua_ffi.swift, from
// ios/build-xcframework.sh). No field-work logic lives here: validation, search, wording of errors
// and sync policy are the Rust core's. This file only adapts the blocking Rust calls to Swift
// concurrency, keeps the profile key in the Keychain, and reads the messages out of errors.
//
// Written to the platform's conventions but NOT compiled on the Linux machines this repository is
// developed on (no Apple toolchain there); it is built on a Mac, see ios/README.md.

import Foundation
import Security

/// Sync progress as a closure, for a progress bar. Called on the syncing thread: hop to the main
/// actor before touching UI state.
public final class SyncProgressRelay: SyncListener, @unchecked Sendable {
    private let report: @Sendable (UInt32, UInt32) -> Void

    public init(_ report: @escaping @Sendable (_ sent: UInt32, _ total: UInt32) -> Void) {
        self.report = report
    }

    public func onProgress(sent: UInt32, total: UInt32) {
        report(sent, total)
    }
}

public extension FieldProfile {
    /// Runs a blocking call of the profile on a background queue (every FieldProfile method blocks
    /// on disk or network; never call one on the main thread).
    func inBackground<T>(_ work: @escaping @Sendable (FieldProfile) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work(self) })
            }
        }
    }

    /// Uploads the queue and downloads reference data off the main thread. Cancelling the calling
    /// Task cancels the sync through a `CancelHandle`: the records being sent go back to the queue
    /// and the call throws `FieldKitError.Cancelled`.
    func syncInBackground(
        maxAttempts: UInt32 = 3,
        progress: @escaping @Sendable (_ sent: UInt32, _ total: UInt32) -> Void = { _, _ in }
    ) async throws -> SyncReportView {
        let cancel = CancelHandle()
        let listener = SyncProgressRelay(progress)
        return try await withTaskCancellationHandler {
            try await inBackground { profile in
                try profile.sync(listener: listener, cancel: cancel, maxAttempts: maxAttempts)
            }
        } onCancel: {
            cancel.cancel()
        }
    }
}

public extension FieldKitError {
    /// The Vietnamese message the core wrote for this error (the app's language).
    var messageVi: String {
        switch self {
        case let .Validation(_, vi, _), let .WrongKey(vi, _), let .StorageFull(vi, _), let .NotEnrolled(vi, _),
             let .Network(_, vi, _), let .ServerRefused(_, _, vi, _), let .Cancelled(vi, _), let .NotFound(vi, _),
             let .Closed(vi, _), let .Other(_, vi, _):
            return vi
        }
    }

    /// The English message, for logs and for English-speaking staff.
    var messageEn: String {
        switch self {
        case let .Validation(_, _, en), let .WrongKey(_, en), let .StorageFull(_, en), let .NotEnrolled(_, en),
             let .Network(_, _, en), let .ServerRefused(_, _, _, en), let .Cancelled(_, en), let .NotFound(_, en),
             let .Closed(_, en), let .Other(_, _, en):
            return en
        }
    }

    /// The problems of a draft, each naming its field, to show next to the fields of a form.
    var fieldProblems: [FieldProblem] {
        if case let .Validation(problems, _, _) = self { return problems }
        return []
    }
}

/// The profile's 32-byte key in the Keychain, on this device only. Readable after the first unlock
/// following a restart, so background sync (BGTaskScheduler) can open the profile with the phone
/// locked.
public enum ProfileKeychain {
    private static let service = "vn.gocua.profile-key"

    /// The key of `account` (e.g. the profile directory name), created with `generateKey()` on
    /// first use.
    public static func key(account: String = "default") throws -> Data {
        if let existing = try read(account: account) { return existing }
        let key = generateKey()
        let attributes: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
            kSecValueData as String: key,
        ]
        let status = SecItemAdd(attributes as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeychainError(status: status) }
        return key
    }

    private static func read(account: String) throws -> Data? {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecReturnData as String: true,
            kSecMatchLimit as String: kSecMatchLimitOne,
        ]
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let data = item as? Data else { throw KeychainError(status: status) }
        return data
    }

    public struct KeychainError: Error {
        public let status: OSStatus
    }
}
