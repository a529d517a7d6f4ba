import Synchronization

/// Counts failed client authentications per client id and per source address in fixed
/// windows, so the token endpoint stops spending bcrypt on whoever keeps failing.
///
/// Rule: once a client id has `maxPerClient` failures (default 10) — or an address
/// `maxPerAddress` (default 20) — within the current `windowSeconds` (default 60) window,
/// `retryAfter` returns the seconds left in that window and the caller answers 429
/// `slow_down` *without* running bcrypt. A client whose secret is already in the
/// `SecretDigestCache` is checked by HMAC and is never throttled, so an attacker who
/// knows a client id cannot lock the real client out; only the expensive path is shut.
/// Successes do not reset the counters (that would let a guesser interleave).
///
/// Time is passed in (whole seconds on any monotonic scale), so tests need no sleeps.
/// The table holds at most `capacity` keys (default 50 000); past that, expired windows
/// are pruned, and if every window is live the table is cleared — the bounded worker
/// queue still caps the bcrypt work. Thread-safe.
public final class AuthFailureThrottle: Sendable {
    public let maxPerClient: Int
    public let maxPerAddress: Int
    public let windowSeconds: Int64
    public let capacity: Int

    private struct Window {
        var start: Int64
        var failures: Int
    }

    private let table = Mutex<[String: Window]>([:])

    public init(maxPerClient: Int = 10, maxPerAddress: Int = 20, windowSeconds: Int64 = 60, capacity: Int = 50_000) {
        self.maxPerClient = max(1, maxPerClient)
        self.maxPerAddress = max(1, maxPerAddress)
        self.windowSeconds = max(1, windowSeconds)
        self.capacity = max(2, capacity)
    }

    /// Seconds until the client id or the address may try bcrypt again, or nil when both may now.
    public func retryAfter(clientID: String?, address: String, now: Int64) -> Int? {
        table.withLock { table in
            var wait: Int64 = 0
            if let clientID, let window = live(table["c:" + clientID], now), window.failures >= maxPerClient {
                wait = max(wait, window.start + windowSeconds - now)
            }
            if let window = live(table["a:" + address], now), window.failures >= maxPerAddress {
                wait = max(wait, window.start + windowSeconds - now)
            }
            return wait > 0 ? Int(wait) : nil
        }
    }

    /// Counts one failure against the address, and against the client id when it names a
    /// real client (unknown ids cost no bcrypt, so only the address is charged for them).
    public func recordFailure(clientID: String?, address: String, now: Int64) {
        table.withLock { table in
            if table.count + 2 > capacity {
                table = table.filter { live($0.value, now) != nil }
                if table.count + 2 > capacity { table.removeAll() }
            }
            if let clientID { bump(&table, "c:" + clientID, now) }
            bump(&table, "a:" + address, now)
        }
    }

    /// Keys currently tracked (for tests and metrics).
    public var trackedKeys: Int {
        table.withLock { $0.count }
    }

    private func live(_ window: Window?, _ now: Int64) -> Window? {
        guard let window, now < window.start + windowSeconds, now >= window.start else { return nil }
        return window
    }

    private func bump(_ table: inout [String: Window], _ key: String, _ now: Int64) {
        if var window = live(table[key], now) {
            window.failures += 1
            table[key] = window
        } else {
            table[key] = Window(start: now, failures: 1)
        }
    }
}
