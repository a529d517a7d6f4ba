import GatewayStore
import Synchronization

/// Drops `SecretDigestCache` entries of clients that changed in the store (revoked,
/// secret rotated, anything), wherever the change was made — the CLI, another gateway,
/// this process.
///
/// Reads the store's client directory by its change cursor: the first `poll()` only
/// positions the cursor at the newest change (the cache starts empty); every later
/// `poll()` invalidates each client changed since. Call it with the revocation poll
/// (≤ 500 ms). Blocking: call from a background thread. Serialised; thread-safe.
public final class ClientDirectoryFollower: Sendable {
    public let directory: any ClientDirectory
    public let cache: SecretDigestCache
    public let pageSize: Int
    private let cursor = Mutex<Int64?>(nil)
    private let entryHandler = Mutex<(@Sendable (ClientDirectoryEntry) -> Void)?>(nil)

    /// Called for every client the directory reports — all of them on the first
    /// poll, then each one that changed — so other per-client state (rate limits,
    /// the debug-log switch) follows the store too. Set it before the first poll.
    public var onEntry: (@Sendable (ClientDirectoryEntry) -> Void)? {
        get { entryHandler.withLock { $0 } }
        set { entryHandler.withLock { $0 = newValue } }
    }

    public init(directory: any ClientDirectory, cache: SecretDigestCache, pageSize: Int = 1000) {
        self.directory = directory
        self.cache = cache
        self.pageSize = max(1, pageSize)
    }

    /// Invalidates clients changed since the previous poll; returns how many.
    @discardableResult
    public func poll() throws -> Int {
        try cursor.withLock { cursor in
            let initial = cursor == nil
            var position = cursor ?? 0
            var changed = 0
            let handler = onEntry
            while true {
                let page = try directory.changes(after: position, limit: pageSize)
                if let handler { page.entries.forEach(handler) }
                if !initial {
                    for entry in page.entries { cache.invalidate(clientID: entry.clientID) }
                    changed += page.entries.count
                }
                position = max(position, page.cursor)
                if page.entries.count < pageSize { break }
            }
            cursor = position
            return changed
        }
    }
}
