import Synchronization

/// What one loop's upstream client has done with its connections, for
/// `/metrics`: written on the loop with relaxed atomics, read from anywhere.
public final class UpstreamCounters: Sendable {
    private let opened = Atomic<Int>(0)
    private let reused = Atomic<Int>(0)
    private let retried = Atomic<Int>(0)
    private let idle = Atomic<Int>(0)

    public init() {}

    /// Connections libcurl was asked to open.
    public var connectionsOpened: Int { opened.load(ordering: .relaxed) }
    /// Exchanges that took an idle connection instead of opening one.
    public var connectionsReused: Int { reused.load(ordering: .relaxed) }
    /// Requests sent again on a new connection after a reused one closed under them.
    public var retries: Int { retried.load(ordering: .relaxed) }
    /// Connections waiting in the idle pool now.
    public var idleConnections: Int { idle.load(ordering: .relaxed) }

    func countOpened() { opened.add(1, ordering: .relaxed) }
    func countReused() { reused.add(1, ordering: .relaxed) }
    func countRetry() { retried.add(1, ordering: .relaxed) }
    func setIdle(_ count: Int) { idle.store(count, ordering: .relaxed) }
}
