import Synchronization

/// The per-client debug-log switch: client ids an administrator has enabled
/// for the masked debug log, in addition to operations with `"debug_log": true`.
///
/// Thread-safe; `isEnabled` is read on every request by every loop, so an
/// empty switch (the normal case) costs one relaxed atomic load and no lock.
public final class DebugLogSwitch: Sendable {
    private let clients: Mutex<Set<String>>
    private let count = Atomic<Int>(0)

    public init(enabled: some Sequence<String> = [String]()) {
        let set = Set(enabled)
        clients = Mutex(set)
        count.store(set.count, ordering: .relaxed)
    }

    /// Starts debug-logging every request of `clientID`.
    public func enable(clientID: String) {
        clients.withLock { set in
            set.insert(clientID)
            count.store(set.count, ordering: .relaxed)
        }
    }

    /// Stops debug-logging `clientID` (requests already under way finish their record).
    public func disable(clientID: String) {
        clients.withLock { set in
            set.remove(clientID)
            count.store(set.count, ordering: .relaxed)
        }
    }

    public func isEnabled(clientID: String) -> Bool {
        guard count.load(ordering: .relaxed) > 0 else { return false }
        return clients.withLock { $0.contains(clientID) }
    }

    /// The enabled client ids, sorted (for an admin listing).
    public var enabledClientIDs: [String] { clients.withLock { $0.sorted() } }
}
