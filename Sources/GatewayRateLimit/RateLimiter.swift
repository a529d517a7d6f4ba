import Synchronization

/// The process-wide table of token buckets, one per client id, shared by every
/// event loop.
///
/// **Exactness.** Buckets live in shards picked by a hash of the client id;
/// each shard is a `Mutex` around a hash table, and a decision is made under
/// that lock. A client whose requests land on different loops is therefore
/// limited exactly as if all its requests came through one thread.
///
/// **Memory.** A bucket that has refilled to capacity is equivalent to no
/// bucket, so it can be dropped:
/// - `sweep(now:)` drops every full bucket and gives storage back (call it from
///   a timer, e.g. every 10 s; it locks one shard at a time);
/// - without a timer, a shard sweeps itself when inserting a new client once it
///   has doubled since its last sweep (amortised O(1) per new client), so the
///   table stays within about twice the clients active in the last minute;
/// - `maxBuckets` is a hard cap, split evenly across shards. At the cap, after
///   a sweep, the bucket closest to full is evicted (that client may get up to
///   a bucket's worth of extra requests); `statistics().evictions` counts this.
///
/// Defaults: 16 shards, 100 000 buckets.
public final class RateLimiter: Sendable {
    /// How the table is sized.
    public struct Configuration: Sendable {
        /// Lock shards; rounded up to a power of two.
        public var shardCount: Int
        /// Hard cap on buckets held at once.
        public var maxBuckets: Int
        /// A shard never sweeps itself below this many buckets.
        public var minimumSweepSize: Int

        public init(shardCount: Int = 16, maxBuckets: Int = 100_000, minimumSweepSize: Int = 256) {
            self.shardCount = shardCount
            self.maxBuckets = maxBuckets
            self.minimumSweepSize = minimumSweepSize
        }
    }

    /// A snapshot of the table's size, for metrics and tests.
    public struct Statistics: Sendable, Equatable {
        /// Buckets held.
        public var buckets: Int
        /// Table slots allocated across shards (memory actually held).
        public var storageCapacity: Int
        /// Buckets dropped at the hard cap before they were full.
        public var evictions: Int
    }

    struct ShardState: Sendable {
        var buckets = StringKeyTable<TokenBucket>()
        /// Size at which inserting a new client sweeps the shard first.
        var sweepAt: Int
        var evictions = 0
    }

    private let table: ShardedMutex<ShardState>
    private let perShardCap: Int
    private let minimumSweepSize: Int

    public init(configuration: Configuration = Configuration()) {
        let minimum = max(1, configuration.minimumSweepSize)
        table = ShardedMutex(count: configuration.shardCount) { ShardState(sweepAt: minimum) }
        let shards = table.count
        perShardCap = max(1, (max(1, configuration.maxBuckets) + shards - 1) / shards)
        minimumSweepSize = minimum
    }

    /// Takes one token from `clientID`'s bucket at `now` (monotonic nanoseconds).
    /// `ratePerMinute` is the client's current rate: a change applies from this
    /// call on (see `TokenBucket.setRate`).
    public func take(clientID: String, ratePerMinute: Int, now: Int64) -> RateLimitDecision {
        let hash = table.hash(clientID)
        let cap = perShardCap
        let minimum = minimumSweepSize
        return table.shards[table.index(forHash: hash)].mutex.withLock { state in
            if let slot = state.buckets.slot(of: clientID, hash: hash) {
                state.buckets[slot: slot].setRate(ratePerMinute, now: now)
                return state.buckets[slot: slot].take(now: now)
            }
            var bucket = TokenBucket(ratePerMinute: ratePerMinute, now: now)
            let decision = bucket.take(now: now)
            if !bucket.isFull(at: now) {  // a full bucket is the same as none (rate 0)
                state.makeRoom(now: now, cap: cap, minimumSweepSize: minimum)
                state.buckets.set(bucket, for: clientID, hash: hash)
            }
            return decision
        }
    }

    /// Drops every bucket that is full at `now` and releases storage a shard no
    /// longer needs. Returns how many buckets were dropped.
    @discardableResult
    public func sweep(now: Int64) -> Int {
        var removed = 0
        for shard in table.shards {
            removed += shard.mutex.withLock { $0.sweep(now: now, minimumSweepSize: minimumSweepSize) }
        }
        return removed
    }

    public func statistics() -> Statistics {
        var stats = Statistics(buckets: 0, storageCapacity: 0, evictions: 0)
        for shard in table.shards {
            shard.mutex.withLock { state in
                stats.buckets += state.buckets.count
                stats.storageCapacity += state.buckets.capacity
                stats.evictions += state.evictions
            }
        }
        return stats
    }

    /// The bucket held for `clientID`, if any (tests, diagnostics).
    func bucket(for clientID: String) -> TokenBucket? {
        let hash = table.hash(clientID)
        return table.shards[table.index(forHash: hash)].mutex.withLock { $0.buckets.value(for: clientID, hash: hash) }
    }
}

extension RateLimiter.ShardState {
    /// Before inserting a new client: sweep when the shard has doubled since the
    /// last sweep, and evict the bucket closest to full when at the cap.
    mutating func makeRoom(now: Int64, cap: Int, minimumSweepSize: Int) {
        if buckets.count >= sweepAt || buckets.count >= cap {
            sweep(now: now, minimumSweepSize: minimumSweepSize)
        }
        guard buckets.count >= cap else { return }
        var victim: Int?
        var earliest = Int64.max
        for slot in buckets.occupiedSlots {
            let fullAt = buckets[slot: slot].fullAtNanos
            if fullAt < earliest {
                earliest = fullAt
                victim = slot
            }
        }
        if let victim {
            buckets.remove(at: victim)
            evictions += 1
        }
    }

    /// Drops full buckets; the table is rebuilt at the size the rest need, so
    /// storage shrinks too. Returns how many were dropped.
    @discardableResult
    mutating func sweep(now: Int64, minimumSweepSize: Int) -> Int {
        let dropped = buckets.filter { !$0.isFull(at: now) }
        sweepAt = max(minimumSweepSize, 2 * buckets.count)
        return dropped
    }
}
