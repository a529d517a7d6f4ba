/// A thread-safe map from client id to requests per minute, read by the
/// rate-limit filter and written by the module that follows the client store
/// (so an administrator's change applies without a restart, on the client's
/// next request).
///
/// Sharded like `RateLimiter`, so lookups from different loops rarely share a
/// lock. A client without an entry gets the default rate. Entries are only
/// what the store says; the table holds one `Int` per client with a custom
/// rate and nothing else.
public final class ClientRateTable: ClientRateProvider, Sendable {
    private let table: ShardedMutex<[String: Int]>

    /// A table holding `rates`.
    public init(_ rates: [String: Int] = [:], shardCount: Int = 16) {
        table = ShardedMutex(count: shardCount) { [:] }
        replaceAll(with: rates)
    }

    public func ratePerMinute(forClient clientID: String) -> Int? {
        table.withLock(for: clientID) { $0[clientID] }
    }

    /// Sets one client's rate; nil removes the entry (the default applies).
    public func setRate(_ ratePerMinute: Int?, forClient clientID: String) {
        table.withLock(for: clientID) { $0[clientID] = ratePerMinute }
    }

    /// Replaces every entry (a full reload from the store). Each client sees
    /// either its old or its new rate, never a missing one in between, except
    /// for clients that are absent from `rates`.
    public func replaceAll(with rates: [String: Int]) {
        var perShard = [[String: Int]](repeating: [:], count: table.count)
        for (client, rate) in rates { perShard[table.index(for: client)][client] = rate }
        for (i, shard) in table.shards.enumerated() {
            let fresh = perShard[i]
            shard.mutex.withLock { $0 = fresh }
        }
    }
}
