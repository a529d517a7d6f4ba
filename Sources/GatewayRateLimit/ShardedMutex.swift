import Synchronization

/// A power-of-two number of independently locked values, one picked per
/// string key by a hash of its UTF-8 bytes.
///
/// Keys that hash to different shards never contend. Each shard is its own
/// heap object padded past a cache line, so two busy shards do not share one.
/// The shard hash is not seeded: keys here are client ids the gateway issued,
/// and the hash only spreads lock traffic (each shard's dictionary uses
/// Swift's seeded hashing).
final class ShardedMutex<State: Sendable>: Sendable {
    final class Shard: Sendable {
        let mutex: Mutex<State>
        // Keeps neighbouring shards' mutexes on different cache lines.
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        init(_ state: sending State) { mutex = Mutex(state) }
    }

    let shards: [Shard]
    private let shift: UInt64

    /// `count` is rounded up to a power of two (at least 1, at most 1024).
    init(count: Int, makeState: () -> State) {
        var n = 1
        var bits: UInt64 = 0
        while n < min(max(count, 1), 1024) {
            n <<= 1
            bits += 1
        }
        shards = (0..<n).map { _ in Shard(makeState()) }
        shift = 64 - bits
    }

    var count: Int { shards.count }

    /// The position in `shards` of the shard for `key`.
    @inline(__always)
    func index(for key: String) -> Int {
        guard shards.count > 1 else { return 0 }
        // Multiply-shift on top of FNV-1a: the high bits are well mixed.
        let mixed = Self.fnv1a(key) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> shift)
    }

    /// The shard for `key`.
    @inline(__always)
    func shard(for key: String) -> Shard { shards[index(for: key)] }

    @inline(__always)
    func withLock<R>(for key: String, _ body: (inout sending State) -> sending R) -> sending R {
        shard(for: key).mutex.withLock(body)
    }

    /// FNV-1a over the key's UTF-8 bytes.
    @inline(__always)
    static func fnv1a(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        if let done = key.utf8.withContiguousStorageIfAvailable({ bytes -> UInt64 in
            var h = hash
            for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            return h
        }) {
            return done
        }
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
