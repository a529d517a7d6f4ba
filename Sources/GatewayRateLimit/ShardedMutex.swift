import Synchronization

/// A power-of-two number of independently locked values, one picked per
/// string key by the key's `KeyHash`.
///
/// Keys that land in different shards never contend. Each shard is its own
/// heap object padded past a cache line, so two busy shards do not share one.
/// The hash is seeded randomly per instance; callers compute it once with
/// `hash(_:)` and pass it on to the shard's table.
final class ShardedMutex<State: Sendable>: Sendable {
    final class Shard: Sendable {
        let mutex: Mutex<State>
        // Keeps neighbouring shards' mutexes on different cache lines.
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        init(_ state: sending State) { mutex = Mutex(state) }
    }

    let shards: [Shard]
    let seed: UInt64
    private let shift: UInt64

    /// `count` is rounded up to a power of two (at least 1, at most 1024).
    init(count: Int, seed: UInt64 = UInt64.random(in: .min ... .max), makeState: () -> State) {
        var n = 1
        var bits: UInt64 = 0
        while n < min(max(count, 1), 1024) {
            n <<= 1
            bits += 1
        }
        shards = (0..<n).map { _ in Shard(makeState()) }
        shift = 64 - bits
        self.seed = seed
    }

    var count: Int { shards.count }

    /// The key's hash, for `index(forHash:)` and the shard's table.
    @inline(__always)
    func hash(_ key: String) -> UInt64 { KeyHash.hash(key, seed: seed) }

    /// The position in `shards` for a key hash. Uses the top bits; tables
    /// index with the bottom ones.
    @inline(__always)
    func index(forHash hash: UInt64) -> Int {
        shards.count > 1 ? Int(truncatingIfNeeded: hash >> shift) : 0
    }

    /// The shard for `key`.
    func shard(for key: String) -> Shard { shards[index(forHash: hash(key))] }
}
