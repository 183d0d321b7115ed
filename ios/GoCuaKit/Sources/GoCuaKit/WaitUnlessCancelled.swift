// Cancelling a Swift Task does not reach the Rust core by itself with uniffi 0.32: its Swift runtime
// (`uniffiRustCallAsync`, templates/Async.swift) polls the Rust future to the end and never calls
// `rust_future_cancel` (the Kotlin runtime does). So a cancelled sync does two things here: it calls
// the core's `cancelSync()`, which stops the sync before its next step and gives the records in
// flight back to the queue, and `waitUnlessCancelled` returns with CancellationError at once rather
// than waiting for the core's thread to wind down. Nothing is lost either way, and a second sync
// waits for the first.

import Foundation

/// Runs `work` in a task of its own and returns its result, or throws `CancellationError` as soon as
/// the calling Task is cancelled (then `work` goes on alone and its result is dropped). If the caller
/// is already cancelled, `work` does not start.
public func waitUnlessCancelled<T>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
    let gate = ResumeOnce<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            guard gate.install(continuation) else { return }
            Task.detached {
                do {
                    gate.resume(with: .success(try await work()))
                } catch {
                    gate.resume(with: .failure(error))
                }
            }
        }
    } onCancel: {
        gate.resume(with: .failure(CancellationError()))
    }
}

/// Resumes one continuation exactly once, whichever comes first: the result or the cancellation.
/// Cancellation may arrive before the continuation exists; it is then kept and delivered on install.
final class ResumeOnce<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var early: Result<T, Error>?
    private var finished = false

    /// Keeps `continuation`; returns false (after resuming it) when the outcome is already known.
    func install(_ continuation: CheckedContinuation<T, Error>) -> Bool {
        lock.lock()
        if let early {
            finished = true
            lock.unlock()
            continuation.resume(with: early)
            return false
        }
        self.continuation = continuation
        lock.unlock()
        return true
    }

    func resume(with result: Result<T, Error>) {
        lock.lock()
        if finished {
            lock.unlock()
            return
        }
        guard let continuation else {
            if early == nil {
                early = result
            }
            lock.unlock()
            return
        }
        finished = true
        self.continuation = nil
        lock.unlock()
        continuation.resume(with: result)
    }
}

public extension FieldProfile {
    /// `sync(listener:maxAttempts:)` with progress as a closure (called on the sync's thread). When
    /// the calling Task is cancelled it stops the core's sync and returns at once (see the top).
    func syncReporting(
        maxAttempts: UInt32 = 3,
        progress: @escaping @Sendable (_ sent: UInt32, _ total: UInt32) -> Void
    ) async throws -> SyncReportView {
        let relay = SyncProgressRelay(progress)
        return try await withTaskCancellationHandler {
            try await waitUnlessCancelled { [self] in
                try await self.sync(listener: relay, maxAttempts: maxAttempts)
            }
        } onCancel: { [self] in
            self.cancelSync()
        }
    }
}
