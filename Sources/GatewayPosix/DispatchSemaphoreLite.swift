import Foundation

/// A one-shot signal another thread can wait for with a timeout.
public final class DispatchSemaphoreLite: Sendable {
    private let condition = NSCondition()
    private nonisolated(unsafe) var signalled = false  // guarded by `condition`

    public init() {}

    public func signal() {
        condition.lock()
        signalled = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until signalled or `timeoutNanos` pass; returns whether it was signalled.
    public func wait(timeoutNanos: Int64) -> Bool {
        let deadline = Date(timeIntervalSinceNow: Double(timeoutNanos) / 1e9)
        condition.lock()
        defer { condition.unlock() }
        while !signalled {
            if !condition.wait(until: deadline) { return signalled }
        }
        return true
    }
}
