// Every ordinary FieldProfile method blocks on the encrypted SQLite file (usually a few
// milliseconds): never call one on the main actor. `inBackground` runs it on a global queue and
// hands the result back to the awaiting task.

import Foundation

public extension FieldProfile {
    /// Runs blocking calls of the profile off the main thread:
    /// `let h = try await profile.inBackground { try $0.household(id: id) }`. The closure is
    /// @Sendable: it runs on another thread, so it captures values, not the caller's state.
    func inBackground<T>(_ work: @escaping @Sendable (FieldProfile) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work(self) })
            }
        }
    }
}
