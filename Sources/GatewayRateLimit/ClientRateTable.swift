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
    private let table: ShardedMutex<StringKeyTable<Int>>

    /// A table holding `rates`.
    public init(_ rates: [String: Int] = [:], shardCount: Int = 16) {
        table = ShardedMutex(count: shardCount) { StringKeyTable() }
        replaceAll(with: rates)
    }

    public func ratePerMinute(forClient clientID: String) -> Int? {
        let hash = table.hash(clientID)
        return table.shards[table.index(forHash: hash)].mutex.withLock { $0.value(for: clientID, hash: hash) }
    }

    /// Sets one client's rate; nil removes the entry (the default applies).
    public func setRate(_ ratePerMinute: Int?, forClient clientID: String) {
        let hash = table.hash(clientID)
        table.shards[table.index(forHash: hash)].mutex.withLock { entries in
            if let ratePerMinute {
                entries.set(ratePerMinute, for: clientID, hash: hash)
            } else if let slot = entries.slot(of: clientID, hash: hash) {
                entries.remove(at: slot)
            }
        }
    }

    /// Replaces every entry (a full reload from the store). Each client sees
    /// either its old or its new rate, never a missing one in between, except
    /// for clients that are absent from `rates`.
    public func replaceAll(with rates: [String: Int]) {
        var perShard = [StringKeyTable<Int>](repeating: StringKeyTable(), count: table.count)
        for (client, rate) in rates {
            let hash = table.hash(client)
            perShard[table.index(forHash: hash)].set(rate, for: client, hash: hash)
        }
        for (i, shard) in table.shards.enumerated() {
            let fresh = perShard[i]
            shard.mutex.withLock { $0 = fresh }
        }
    }
}
