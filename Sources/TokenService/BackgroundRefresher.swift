import Foundation
import GatewayPosix

/// A thread that calls `body` every `intervalMillis` until `stop()` — the poll timer for
/// store-backed state (signing keys, revocation feed, client directory), kept off the
/// event loops because every poll blocks on the store.
///
/// A failing poll is reported through `Diagnostics` (once per distinct message in a row)
/// and retried at the next tick. `stop()` wakes the thread and waits for it to finish.
public final class BackgroundRefresher: Sendable {
    public let intervalMillis: Int
    private let signal: Signal

    /// The stop flag and its condition; fields touched only with `condition` locked.
    private final class Signal: @unchecked Sendable {
        let condition = NSCondition()
        var stopping = false
        var finished = false
    }

    /// Starts the thread; the first call happens after one interval.
    public init(name: String = "store-poller", intervalMillis: Int = 250, _ body: @escaping @Sendable () throws -> Void) {
        self.intervalMillis = max(10, intervalMillis)
        let signal = Signal()
        self.signal = signal
        let interval = Double(self.intervalMillis) / 1000
        let thread = Thread {
            var lastFailure: String?
            signal.condition.lock()
            while !signal.stopping {
                _ = signal.condition.wait(until: Date(timeIntervalSinceNow: interval))
                if signal.stopping { break }
                signal.condition.unlock()
                do {
                    try body()
                    lastFailure = nil
                } catch {
                    let message = "\(error)"
                    if message != lastFailure { Diagnostics.warn("\(name): \(message)") }
                    lastFailure = message
                }
                signal.condition.lock()
            }
            signal.finished = true
            signal.condition.broadcast()
            signal.condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the thread and waits until its current poll (if any) has finished.
    public func stop() {
        signal.condition.lock()
        signal.stopping = true
        signal.condition.broadcast()
        while !signal.finished { signal.condition.wait() }
        signal.condition.unlock()
    }
}
