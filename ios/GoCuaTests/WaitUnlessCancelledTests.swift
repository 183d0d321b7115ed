// waitUnlessCancelled: the caller stops waiting as soon as its Task is cancelled (uniffi 0.32's
// Swift does not pass cancellation to the Rust future), and work does not start for a caller that
// was cancelled already.

import GoCuaKit
import XCTest

final class WaitUnlessCancelledTests: XCTestCase {
    func testReturnsTheResult() async throws {
        let value = try await waitUnlessCancelled { 42 }
        XCTAssertEqual(value, 42)
    }

    func testPassesTheErrorOn() async {
        struct Boom: Error {}
        do {
            _ = try await waitUnlessCancelled { () async throws -> Int in throw Boom() }
            XCTFail("no error")
        } catch {
            XCTAssertTrue(error is Boom)
        }
    }

    func testCancellingStopsWaitingAtOnce() async throws {
        let started = expectation(description: "work started")
        let task = Task { () -> Int in
            try await waitUnlessCancelled {
                started.fulfill()
                try await Task.sleep(nanoseconds: 3_000_000_000)
                return 1
            }
        }
        await fulfillment(of: [started], timeout: 5)
        let clock = ContinuousClock()
        let cancelledAt = clock.now
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("the cancelled wait returned a value")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        XCTAssertLessThan(clock.now - cancelledAt, .seconds(1), "the caller did not wait for the work")
    }

    func testWorkDoesNotStartForACancelledCaller() async throws {
        let ran = ManagedFlag()
        let task = Task { () -> Int in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await waitUnlessCancelled {
                ran.set()
                return 1
            }
        }
        do {
            _ = try await task.value
            XCTFail("a cancelled caller got a value")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        try await Task.sleep(nanoseconds: 200_000_000)
        XCTAssertFalse(ran.isSet)
    }
}

final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
