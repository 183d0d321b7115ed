// The core reports sync progress through the SyncListener callback interface, on the sync's own
// thread. The relay turns that into a closure; the closure hops to the main actor itself.

/// A SyncListener that forwards `(sent, total)` to a closure.
public final class SyncProgressRelay: SyncListener, @unchecked Sendable {
    private let report: @Sendable (_ sent: UInt32, _ total: UInt32) -> Void

    public init(_ report: @escaping @Sendable (_ sent: UInt32, _ total: UInt32) -> Void) {
        self.report = report
    }

    public func onProgress(sent: UInt32, total: UInt32) {
        report(sent, total)
    }
}
