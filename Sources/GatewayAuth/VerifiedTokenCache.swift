#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Remembers tokens whose signature and claims already passed, so the next
/// request with the same token skips the signature check.
///
/// - Bounded: at most `capacity` entries (default 100,000; about 1 KiB each for
///   typical tokens, so ~100 MB when full). When a shard is full, expired entries
///   are dropped first (a sweep at most once per second per shard), then the
///   CLOCK hand evicts an entry not used since it last passed.
/// - Exact: the whole token is stored and compared byte for byte on every hit;
///   the hash only picks the slot. It is a per-process-seeded SipHash over the
///   token's length and its last 64 bytes (inside the signature, so uniformly
///   spread). Only verified tokens are ever inserted, so nobody can plant
///   colliding entries; a forged token that lands on a cached one's slot fails
///   the comparison and is verified in full.
/// - Entries die with their token: a lookup at or after `exp` + leeway misses
///   and removes the entry.
/// - Thread-safe: entries are spread over `shardCount` (default 16) shards, each
///   behind its own `Mutex`, held only for a dictionary probe and a `memcmp`.
///
/// The cache says nothing about revocation: `AccessTokenVerifier` consults the
/// `RevocationSet` on every check, hit or miss.
public final class VerifiedTokenCache: Sendable {
    private struct Slot {
        var hash: Int
        var token: [UInt8]
        var value: VerifiedToken?
        var referenced: Bool
    }

    private struct Shard {
        let capacity: Int
        var index: [Int: Int] = [:]
        var slots: [Slot] = []
        var free: [Int] = []
        var hand = 0
        var lastSweep = Int64.min

        var count: Int { index.count }

        mutating func remove(slot position: Int) {
            index.removeValue(forKey: slots[position].hash)
            slots[position] = Slot(hash: 0, token: [], value: nil, referenced: false)
            free.append(position)
        }

        mutating func removeExpired(now: Int64) -> Int {
            var removed = 0
            for position in slots.indices {
                if let value = slots[position].value, value.validUntil <= now {
                    remove(slot: position)
                    removed += 1
                }
            }
            return removed
        }

        /// A free slot, evicting when the shard is full.
        mutating func vacantSlot(now: Int64) -> Int {
            if let position = free.popLast() { return position }
            if slots.count < capacity {
                slots.append(Slot(hash: 0, token: [], value: nil, referenced: false))
                return slots.count - 1
            }
            if now > lastSweep {
                lastSweep = now
                if removeExpired(now: now) > 0, let position = free.popLast() { return position }
            }
            while true {  // CLOCK: terminates within two turns of the hand
                let position = hand
                hand = (hand + 1) % slots.count
                guard let value = slots[position].value else { return position }
                if value.validUntil <= now || !slots[position].referenced {
                    remove(slot: position)
                    return free.removeLast()
                }
                slots[position].referenced = false
            }
        }
    }

    private final class ShardBox: Sendable {
        let shard: Mutex<Shard>
        init(capacity: Int) { shard = Mutex(Shard(capacity: capacity)) }
    }

    /// The most entries the cache holds at once.
    public let capacity: Int
    private let shards: [ShardBox]
    private let shardShift: Int

    /// A cache of at most `capacity` (≥ 1) entries over `shardCount` shards
    /// (rounded down to a power of two, at most `capacity`).
    public init(capacity: Int = 100_000, shardCount: Int = 16) {
        precondition(capacity >= 1, "VerifiedTokenCache capacity must be at least 1")
        var count = 1
        while count * 2 <= min(max(shardCount, 1), capacity) { count *= 2 }
        self.capacity = capacity
        self.shards = (0..<count).map { ShardBox(capacity: capacity / count + ($0 < capacity % count ? 1 : 0)) }
        self.shardShift = Int.bitWidth - count.trailingZeroBitCount
    }

    /// Entries held now, expired ones not yet dropped included.
    public var count: Int {
        shards.reduce(0) { $0 + $1.shard.withLock { $0.count } }
    }

    /// The verified token cached for exactly `token`, or nil.
    package func lookup(_ token: UnsafeRawBufferPointer, now: Int64) -> VerifiedToken? {
        let hash = Self.hash(token)
        return shard(for: hash).shard.withLock { shard -> VerifiedToken? in
            guard let position = shard.index[hash] else { return nil }
            let stored = shard.slots[position].token
            guard stored.count == token.count,
                  stored.withUnsafeBytes({ memcmp($0.baseAddress!, token.baseAddress!, token.count) }) == 0,
                  let value = shard.slots[position].value
            else { return nil }
            guard now < value.validUntil else {
                shard.remove(slot: position)
                return nil
            }
            if !shard.slots[position].referenced { shard.slots[position].referenced = true }
            return value
        }
    }

    /// Remembers that `token` verified as `value`. Replaces an entry for the same
    /// token (or, at negligible odds, one with the same hash).
    package func insert(_ token: UnsafeRawBufferPointer, _ value: VerifiedToken, now: Int64) {
        guard now < value.validUntil, token.count > 0 else { return }
        let hash = Self.hash(token)
        let bytes = Array(token)
        shard(for: hash).shard.withLock { shard in
            let position = shard.index[hash] ?? shard.vacantSlot(now: now)
            shard.slots[position] = Slot(hash: hash, token: bytes, value: value, referenced: false)
            shard.index[hash] = position
        }
    }

    /// Drops every entry whose token is no longer accepted at `now`; returns how many.
    @discardableResult
    public func removeExpired(now: Int64) -> Int {
        shards.reduce(0) { total, box in total + box.shard.withLock { $0.removeExpired(now: now) } }
    }

    /// Drops every entry.
    public func removeAll() {
        for box in shards {
            box.shard.withLock { shard in shard = Shard(capacity: shard.capacity) }
        }
    }

    private func shard(for hash: Int) -> ShardBox {
        shards[shards.count == 1 ? 0 : Int(UInt(bitPattern: hash) >> UInt(shardShift))]
    }

    private static func hash(_ token: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(token.count)
        hasher.combine(bytes: UnsafeRawBufferPointer(rebasing: token[max(0, token.count - 64)...]))
        return hasher.finalize()
    }
}
