/// Turns a stream of rate-limit refusals into few `api.rate_limit_exceeded`
/// audit reports: one per client and window, plus counts.
///
/// - A window opens at a client's first refusal and lasts `windowNanos`
///   (default 60 s) on the monotonic clock; a refusal at or after its end
///   opens the next window.
/// - The first refusal of a window is passed to the sink at once
///   (`.windowOpened`), from the refusing thread, so it is recorded within a
///   second. The sink must only enqueue (the audit append runs on a worker).
/// - Later refusals in the window are only counted under the shard's lock.
///   `flush(now:)` — call it from a timer every second — reports the count of
///   every window that has ended (`.counted`), and, when
///   `countReportIntervalNanos` is set, the running count of open windows at
///   that interval. `flushAll()` reports everything pending (shutdown).
/// - Memory is bounded by `maxWindows` (default 100 000, split across shards).
///   At the cap, ended windows are closed first; if none has ended, the oldest
///   window is closed early (its count reported), so no refusal goes unrecorded.
///
/// The sink is never called while a lock is held. Time is injected, so the
/// whole behaviour is testable without a clock.
public final class RefusalCoalescer: Sendable {
    /// Window length, cap and reporting cadence.
    public struct Configuration: Sendable {
        public var windowNanos: Int64
        public var maxWindows: Int
        /// Report running counts of open windows this often; nil reports a
        /// window's count only when it ends.
        public var countReportIntervalNanos: Int64?
        public var shardCount: Int

        public init(windowNanos: Int64 = 60_000_000_000, maxWindows: Int = 100_000,
                    countReportIntervalNanos: Int64? = nil, shardCount: Int = 16) {
            self.windowNanos = windowNanos
            self.maxWindows = maxWindows
            self.countReportIntervalNanos = countReportIntervalNanos
            self.shardCount = shardCount
        }
    }

    struct Window: Sendable {
        var orgID: String
        var startNanos: Int64
        var startUnixNanos: Int64
        var lastReportNanos: Int64
        var pending: Int

        func counted(_ clientID: String) -> RefusalReport? {
            pending > 0 ? .counted(clientID: clientID, orgID: orgID, windowStartUnixNanos: startUnixNanos,
                                   additional: pending) : nil
        }
    }

    private let table: ShardedMutex<[String: Window]>
    private let configuration: Configuration
    private let perShardCap: Int
    private let sink: @Sendable (RefusalReport) -> Void

    public init(configuration: Configuration = Configuration(), sink: @escaping @Sendable (RefusalReport) -> Void) {
        table = ShardedMutex(count: configuration.shardCount) { [:] }
        self.configuration = configuration
        perShardCap = max(1, (max(1, configuration.maxWindows) + table.count - 1) / table.count)
        self.sink = sink
    }

    /// Records one refused request. `now` is monotonic nanoseconds, `unixNanos`
    /// the wall clock of the same instant (it names the window in reports).
    public func refused(clientID: String, orgID: String, requestID: String, now: Int64, unixNanos: Int64) {
        let length = configuration.windowNanos
        let cap = perShardCap
        let reports: [RefusalReport] = table.shard(for: clientID).mutex.withLock { windows in
            if let index = windows.index(forKey: clientID) {
                let open = windows.values[index]
                if now < open.startNanos + length {
                    windows.values[index].pending += 1
                    return []
                }
                windows.values[index] = Window(orgID: orgID, startNanos: now, startUnixNanos: unixNanos,
                                               lastReportNanos: now, pending: 0)
                return [open.counted(clientID)].compactMap { $0 }
                    + [.windowOpened(clientID: clientID, orgID: orgID, windowStartUnixNanos: unixNanos,
                                     firstRequestID: requestID)]
            }
            var out: [RefusalReport] = []
            if windows.count >= cap { out = Self.makeRoom(&windows, now: now, length: length, cap: cap) }
            windows[clientID] = Window(orgID: orgID, startNanos: now, startUnixNanos: unixNanos,
                                       lastReportNanos: now, pending: 0)
            out.append(.windowOpened(clientID: clientID, orgID: orgID, windowStartUnixNanos: unixNanos,
                                     firstRequestID: requestID))
            return out
        }
        for report in reports { sink(report) }
    }

    /// Reports and forgets windows that have ended by `now`; reports running
    /// counts when `countReportIntervalNanos` is set. Call every second.
    public func flush(now: Int64) {
        let length = configuration.windowNanos
        let interval = configuration.countReportIntervalNanos
        for shard in table.shards {
            let reports: [RefusalReport] = shard.mutex.withLock { windows in
                var out: [RefusalReport] = []
                var ended: [String] = []
                var reported: [String] = []
                for (clientID, window) in windows {
                    if now >= window.startNanos + length {
                        ended.append(clientID)
                        if let report = window.counted(clientID) { out.append(report) }
                    } else if let interval, now - window.lastReportNanos >= interval,
                              let report = window.counted(clientID) {
                        out.append(report)
                        reported.append(clientID)
                    }
                }
                for clientID in ended { windows.removeValue(forKey: clientID) }
                for clientID in reported {
                    windows[clientID]?.pending = 0
                    windows[clientID]?.lastReportNanos = now
                }
                Self.shrink(&windows)
                return out
            }
            for report in reports { sink(report) }
        }
    }

    /// Reports every pending count and forgets all windows (shutdown).
    public func flushAll() {
        for shard in table.shards {
            let reports: [RefusalReport] = shard.mutex.withLock { windows in
                let out = windows.compactMap { $0.value.counted($0.key) }
                windows = [:]
                return out
            }
            for report in reports { sink(report) }
        }
    }

    /// Windows currently open (metrics, tests).
    public var openWindows: Int {
        table.shards.reduce(0) { sum, shard in sum + shard.mutex.withLock { $0.count } }
    }

    /// At the cap: close ended windows, else the oldest one. Returns their counts.
    private static func makeRoom(_ windows: inout [String: Window], now: Int64, length: Int64,
                                 cap: Int) -> [RefusalReport] {
        var out: [RefusalReport] = []
        let ended = windows.filter { now >= $0.value.startNanos + length }
        for (clientID, window) in ended {
            if let report = window.counted(clientID) { out.append(report) }
            windows.removeValue(forKey: clientID)
        }
        if windows.count >= cap, let oldest = windows.min(by: { $0.value.startNanos < $1.value.startNanos }) {
            if let report = oldest.value.counted(oldest.key) { out.append(report) }
            windows.removeValue(forKey: oldest.key)
        }
        return out
    }

    /// Gives storage back once most of it is unused.
    private static func shrink(_ windows: inout [String: Window]) {
        guard windows.capacity > 64, windows.count * 4 < windows.capacity else { return }
        var kept = [String: Window](minimumCapacity: windows.count)
        for (key, value) in windows { kept[key] = value }
        windows = kept
    }
}
