/// The timeouts of one client connection as a pure state machine: the loop
/// reports what happened and asks, with a clock reading, what to do.
///
/// - While a request head is arriving, it must complete within `headerTimeout`
///   (slow-loris defence) or the connection is answered 408 and closed.
/// - Between requests, a keep-alive connection may stay silent for
///   `idleTimeout`, then it is closed.
/// - While a request is being served, the exchange's own deadlines apply
///   (upstream timeouts); the connection only watches for stalled I/O: no
///   progress in either direction for `idleTimeout` closes it.
public struct ConnectionTimeouts: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case idle(since: Int64)
        case readingHead(since: Int64)
        case busy(lastProgress: Int64)
    }

    public enum Action: Sendable, Equatable {
        case none
        /// Close quietly: an idle keep-alive connection or a stalled exchange.
        case close
        /// Answer 408 Request Timeout and close.
        case requestTimeout
    }

    /// Defaults: 10 s to send a request head, 60 s idle.
    public var headerTimeoutNanos: Int64
    public var idleTimeoutNanos: Int64
    public private(set) var state: State

    public init(now: Int64, headerTimeoutNanos: Int64 = 10_000_000_000, idleTimeoutNanos: Int64 = 60_000_000_000) {
        self.headerTimeoutNanos = headerTimeoutNanos
        self.idleTimeoutNanos = idleTimeoutNanos
        self.state = .idle(since: now)
    }

    /// Bytes of a new request head arrived (no-op if already reading one).
    public mutating func headStarted(now: Int64) {
        if case .idle = state { state = .readingHead(since: now) }
    }

    /// The head is complete; the request is being served.
    public mutating func headCompleted(now: Int64) {
        state = .busy(lastProgress: now)
    }

    /// Bytes moved in either direction while serving a request.
    public mutating func progressed(now: Int64) {
        if case .busy = state { state = .busy(lastProgress: now) }
    }

    /// The response is done; the connection waits for the next request.
    public mutating func responseCompleted(now: Int64) {
        state = .idle(since: now)
    }

    public func check(now: Int64) -> Action {
        switch state {
        case .idle(let since):
            return now - since >= idleTimeoutNanos ? .close : .none
        case .readingHead(let since):
            return now - since >= headerTimeoutNanos ? .requestTimeout : .none
        case .busy(let last):
            return now - last >= idleTimeoutNanos ? .close : .none
        }
    }
}
